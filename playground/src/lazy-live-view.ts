/**
 * The live view panel, loaded on first use: the panel and its chart (uPlot) are a chunk of
 * their own, so the page's start-up does not download and compile them for a pin that may never
 * come. Same interface as live-view.ts's `LiveView`.
 */
import type { EngineClient } from './client.js';
import type { LiveView as Panel, LiveViewHooks } from './live-view.js';

export class LiveView {
  private panel: Promise<Panel> | undefined;
  private loaded: Panel | undefined;

  constructor(
    private readonly root: HTMLElement,
    private readonly client: EngineClient,
    private readonly hooks: LiveViewHooks,
  ) {}

  private load(): Promise<Panel> {
    return (this.panel ??= import('./live-view.js').then(({ LiveView: Loaded }) => {
      this.loaded = new Loaded(this.root, this.client, this.hooks);
      return this.loaded;
    }));
  }

  /** The pinned view; none before the panel has loaded. */
  get view(): string | undefined {
    return this.loaded?.view;
  }

  /** Pins `view`, in place of the one pinned before; failures show, as the panel's do. */
  async pin(view: string): Promise<void> {
    let panel: Panel;
    try {
      panel = await this.load();
    } catch (e) {
      // A later pin tries the download again.
      this.panel = undefined;
      this.hooks.error({ code: 'XX000', message: `cannot pin "${view}": ${String(e)}` });
      return;
    }
    await panel.pin(view);
  }

  /** Nothing can be pinned before the panel has been asked for. */
  async unpin(): Promise<void> {
    if (this.panel) await (await this.panel).unpin();
  }
}

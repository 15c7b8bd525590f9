/**
 * The generator panel of the playground page: pick a built-in generator (Nexmark or
 * clickstream), set its rate with a slider, start and pause it, and watch how many rows it has
 * inserted and how fast. The generator itself runs in the engine worker; the panel only sends
 * commands and polls the status.
 */
import type { EngineClient } from './client.js';
import { EngineFailure } from './client.js';
import type { GeneratorKind, GeneratorStatus } from './protocol.js';

/** The engine calls the panel uses. */
export type GeneratorControls = Pick<
  EngineClient,
  'startGenerator' | 'setGeneratorRate' | 'pauseGenerator' | 'resumeGenerator' | 'generatorStatus'
>;

export interface GeneratorPanelOptions {
  /** Called after a start that may have created tables. */
  tablesChanged?: () => void;
  /** How often the status is read, in ms. */
  pollMs?: number;
}

const KINDS: { kind: GeneratorKind; label: string; title: string }[] = [
  { kind: 'nexmark', label: 'Nexmark', title: 'Auctions: tables person, auction and bid' },
  { kind: 'clickstream', label: 'Clickstream', title: 'Page views: table clicks' },
];

/** The slider runs 0..100 on a log scale from 10 to 100,000 rows/s. */
const SLIDER_MAX = 100;
const DEFAULT_SLIDER = 50;

export function rateOfSlider(v: number): number {
  const r = Math.pow(10, 1 + (4 * v) / SLIDER_MAX);
  // Two significant digits read better than 1,259 rows/s.
  const p = Math.pow(10, Math.max(0, Math.floor(Math.log10(r)) - 1));
  return Math.round(r / p) * p;
}

function count(n: number): string {
  return Math.round(n).toLocaleString('en');
}

export class GeneratorPanel {
  private readonly kindSelect: HTMLSelectElement;
  private readonly rateInput: HTMLInputElement;
  private readonly rateLabel: HTMLElement;
  private readonly toggle: HTMLButtonElement;
  private readonly counter: HTMLElement;
  private status: GeneratorStatus | undefined;
  private busy = false;
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(
    private readonly root: HTMLElement,
    private readonly engine: GeneratorControls,
    private readonly options: GeneratorPanelOptions = {},
  ) {
    root.classList.add('generator');
    root.setAttribute('role', 'group');
    root.setAttribute('aria-label', 'Data generator');

    this.kindSelect = document.createElement('select');
    this.kindSelect.dataset.testid = 'generator-kind';
    this.kindSelect.setAttribute('aria-label', 'Generator');
    this.kindSelect.title = 'Built-in data generator';
    for (const k of KINDS) {
      const o = document.createElement('option');
      o.value = k.kind;
      o.textContent = k.label;
      o.title = k.title;
      this.kindSelect.append(o);
    }

    this.rateInput = document.createElement('input');
    this.rateInput.type = 'range';
    this.rateInput.min = '0';
    this.rateInput.max = String(SLIDER_MAX);
    this.rateInput.step = '1';
    this.rateInput.value = String(DEFAULT_SLIDER);
    this.rateInput.dataset.testid = 'generator-rate';
    this.rateInput.setAttribute('aria-label', 'Rows per second');
    this.rateLabel = document.createElement('span');
    this.rateLabel.className = 'rate';

    this.toggle = document.createElement('button');
    this.toggle.dataset.testid = 'generator-toggle';

    this.counter = document.createElement('span');
    this.counter.className = 'count';
    this.counter.dataset.testid = 'generator-count';
    this.counter.setAttribute('aria-live', 'off');

    root.replaceChildren(
      this.kindSelect,
      this.rateInput,
      this.rateLabel,
      this.toggle,
      this.counter,
    );

    this.rateInput.addEventListener('input', () => {
      this.showRate();
      if (this.status?.kind) void this.act(() => this.engine.setGeneratorRate(this.rate));
    });
    this.kindSelect.addEventListener('change', () => {
      // Switching while running starts the other generator at once.
      if (this.status?.running)
        void this.act(() => this.engine.startGenerator(this.kind, this.rate), true);
      else this.render();
    });
    this.toggle.addEventListener('click', () => void this.onToggle());

    this.showRate();
    this.render();
    this.timer = setInterval(() => void this.poll(), options.pollMs ?? 500);
    void this.poll();
  }

  private get kind(): GeneratorKind {
    return this.kindSelect.value as GeneratorKind;
  }

  private get rate(): number {
    return rateOfSlider(Number(this.rateInput.value));
  }

  private showRate(): void {
    this.rateLabel.textContent = `${count(this.rate)} rows/s`;
  }

  private async onToggle(): Promise<void> {
    const s = this.status;
    if (s?.running) await this.act(() => this.engine.pauseGenerator());
    else if (s?.kind === this.kind && !s.error) await this.act(() => this.engine.resumeGenerator());
    else await this.act(() => this.engine.startGenerator(this.kind, this.rate), true);
  }

  /** Runs one command, showing its status (or failure) after. */
  private async act(command: () => Promise<GeneratorStatus>, creates = false): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.toggle.disabled = true;
    try {
      this.status = await command();
      if (creates) this.options.tablesChanged?.();
    } catch (e) {
      const message = e instanceof EngineFailure ? e.message : String(e);
      this.status = {
        ...(this.status ?? {
          kind: null,
          running: false,
          rowsPerSecond: this.rate,
          rowsInserted: 0,
          offset: 0,
          measuredRowsPerSecond: 0,
          tables: [],
        }),
        error: { code: e instanceof EngineFailure ? e.code : 'XX000', message },
      };
    } finally {
      this.busy = false;
      this.toggle.disabled = false;
      this.render();
    }
  }

  private async poll(): Promise<void> {
    if (this.busy) return;
    try {
      this.status = await this.engine.generatorStatus();
    } catch (e) {
      // The worker is gone (page closing or the engine failed): stop asking.
      clearInterval(this.timer);
      this.counter.textContent = `generator unavailable: ${String(e)}`;
      return;
    }
    this.render();
  }

  private render(): void {
    const s = this.status;
    const running = s?.running ?? false;
    const resumable = !!s && s.kind === this.kind && !running && !s.error && s.kind !== null;
    this.toggle.textContent = running ? 'Pause' : resumable ? 'Resume' : 'Start';
    this.toggle.title = running
      ? 'Pause the generator'
      : `Insert generated rows into ${KINDS.find((k) => k.kind === this.kind)?.title.split(': ')[1] ?? 'its tables'}`;
    this.toggle.classList.toggle('primary', !running);
    this.root.dataset.running = String(running);
    const rows = s?.rowsInserted ?? 0;
    this.counter.dataset.rows = String(rows);
    this.counter.classList.toggle('failed', !!s?.error);
    if (s?.error) {
      this.counter.textContent = `stopped: ${s.error.message}`;
      this.counter.title = `SQLSTATE ${s.error.code}`;
    } else {
      const speed = running ? ` · ${count(s?.measuredRowsPerSecond ?? 0)} rows/s` : '';
      this.counter.textContent = `${count(rows)} rows${speed}`;
      this.counter.title = s?.tables.length ? `into ${s.tables.join(', ')}` : '';
    }
  }
}

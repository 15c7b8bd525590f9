/**
 * The live view panel: a pinned materialized view's rows, kept current by its subscription
 * (the engine's `pin` gives the rows and the subscription at once, so no change is lost or seen
 * twice). Rows a batch inserts or updates flash; deleted ones go. Batches arriving within one
 * frame are drawn once. A view with a time column and numbers also gets a chart.
 */
import { LiveChart } from './chart.js';
import { chartSpec } from './chart-data.js';
import { EngineFailure, type EngineClient } from './client.js';
import { LiveRows, type LiveRow } from './live-rows.js';
import type { EngineError, TextChange } from './protocol.js';

/** Rows drawn in the panel; the count still covers them all. */
const MAX_ROWS = 500;

export interface LiveViewHooks {
  /** Shows a failure on the page (pinning failed, or the panel lost track of the view). */
  error: (e: EngineError) => void;
}

interface Pinned {
  view: string;
  rows: LiveRows;
  stop: () => Promise<void>;
  chart?: LiveChart;
  /** The rows' table body (the chart's legend is a table too). */
  tbody?: HTMLTableSectionElement;
  /** Elements of the drawn rows. */
  drawn: Map<LiveRow, HTMLTableRowElement>;
  /** The batch drawn last. */
  drawnBatch: number;
  frame?: number;
}

export class LiveView {
  private pinned: Pinned | undefined;
  /** Bumped by each pin and unpin, so a slow pin that was superseded undoes itself. */
  private generation = 0;

  constructor(
    private readonly root: HTMLElement,
    private readonly client: EngineClient,
    private readonly hooks: LiveViewHooks,
  ) {}

  get view(): string | undefined {
    return this.pinned?.view;
  }

  /** Pins `view`, in place of the one pinned before. */
  async pin(view: string): Promise<void> {
    await this.unpin();
    const generation = ++this.generation;
    // Changes that come before the pin's reply wait for the rows they apply to.
    const early: TextChange[][] = [];
    const target: { state?: Pinned } = {};
    const listener = (changes: TextChange[]): void => {
      if (!target.state) early.push(changes);
      else this.receive(target.state, changes);
    };
    let pinned;
    try {
      pinned = await this.client.pin(view, listener);
    } catch (e) {
      this.fail(`cannot pin "${view}"`, e);
      return;
    }
    if (generation !== this.generation) {
      await pinned.stop();
      return;
    }
    const rows = new LiveRows(pinned.snapshot.columns, pinned.snapshot);
    const state: Pinned = { view, rows, stop: pinned.stop, drawn: new Map(), drawnBatch: 0 };
    target.state = state;
    this.pinned = state;
    this.build(state);
    for (const changes of early) this.receive(state, changes);
    this.draw(state);
  }

  async unpin(): Promise<void> {
    this.generation++;
    const p = this.pinned;
    this.pinned = undefined;
    this.root.hidden = true;
    this.root.replaceChildren();
    delete this.root.dataset.view;
    delete this.root.dataset.lastChange;
    delete this.root.dataset.batches;
    if (!p) return;
    if (p.frame !== undefined) cancelAnimationFrame(p.frame);
    p.chart?.destroy();
    try {
      await p.stop();
    } catch (e) {
      this.fail(`cannot unpin "${p.view}"`, e);
    }
  }

  private fail(what: string, e: unknown): void {
    if (e instanceof EngineFailure)
      this.hooks.error({ ...e.error, message: `${what}: ${e.error.message}` });
    else
      this.hooks.error({
        code: 'XX000',
        message: `${what}: ${e instanceof Error ? e.message : String(e)}`,
      });
  }

  private receive(p: Pinned, changes: TextChange[]): void {
    if (this.pinned !== p) return;
    try {
      p.rows.apply(changes);
    } catch (e) {
      this.fail(`the live view of "${p.view}" is out of step`, e);
      void this.unpin();
      return;
    }
    this.root.dataset.lastChange = new Date().toISOString();
    p.frame ??= requestAnimationFrame(() => {
      p.frame = undefined;
      this.draw(p);
    });
  }

  private build(p: Pinned): void {
    const head = el('header', 'live-head');
    const dot = el('span', 'live-dot');
    dot.title = 'Live: updates as the view changes';
    const name = el('strong', 'live-name');
    name.textContent = p.view;
    const count = el('span', 'live-count');
    count.dataset.testid = 'live-count';
    const updated = el('span', 'live-updated');
    updated.dataset.testid = 'live-updated';
    const close = el('button', 'live-close');
    close.dataset.testid = 'unpin';
    close.textContent = 'Unpin';
    close.title = `Stop following ${p.view}`;
    close.addEventListener('click', () => void this.unpin());
    head.append(dot, name, count, updated, close);
    const body = el('div', 'live-body');
    const spec = chartSpec(p.rows.columns);
    if (spec) p.chart = new LiveChart(body, spec, p.rows.columns);
    const wrap = el('div', 'live-table-wrap');
    const table = el('table', 'live-table');
    const thead = el('thead', '');
    const tr = el('tr', '');
    for (const c of p.rows.columns) {
      const th = el('th', c.numeric ? 'num' : '');
      th.textContent = c.name;
      th.title = c.type;
      tr.append(th);
    }
    thead.append(tr);
    p.tbody = el('tbody', '');
    table.append(thead, p.tbody);
    wrap.append(table);
    const note = el('p', 'live-note');
    note.textContent = 'Times in UTC.';
    body.append(wrap, note);
    this.root.replaceChildren(head, body);
    this.root.dataset.view = p.view;
    this.root.hidden = false;
  }

  private draw(p: Pinned): void {
    if (this.pinned !== p) return;
    const rows = p.rows.rows;
    const shown = rows.slice(0, MAX_ROWS);
    const keep = new Set(shown);
    for (const [row, tr] of p.drawn)
      if (!keep.has(row)) {
        tr.remove();
        p.drawn.delete(row);
      }
    const tbody = p.tbody;
    if (!tbody) return;
    // Rows already in place stay (a flash under way goes on); new ones go where they sort.
    let cursor = tbody.firstElementChild;
    for (const row of shown) {
      let tr = p.drawn.get(row);
      if (!tr) {
        tr = this.rowElement(p, row);
        p.drawn.set(row, tr);
      }
      if (tr === cursor) cursor = cursor.nextElementSibling;
      else tbody.insertBefore(tr, cursor);
    }
    p.drawnBatch = p.rows.batch;
    const n = rows.length;
    const count = this.root.querySelector<HTMLElement>('.live-count')!;
    count.textContent =
      `${n.toLocaleString('en')} ${n === 1 ? 'row' : 'rows'}` +
      (n > MAX_ROWS ? ` (first ${MAX_ROWS.toLocaleString('en')} shown)` : '');
    const last = this.root.dataset.lastChange;
    const updated = this.root.querySelector<HTMLElement>('.live-updated')!;
    updated.textContent = last
      ? `last change ${new Date(last).toLocaleTimeString()}`
      : 'no change since pinned';
    this.root.dataset.batches = String(p.rows.batch);
    p.chart?.update(rows.map((r) => r.cells));
  }

  private rowElement(p: Pinned, row: LiveRow): HTMLTableRowElement {
    const tr = el('tr', '');
    if (row.change !== 'snapshot') {
      tr.dataset.change = row.change;
      tr.classList.add(`flash-${row.change}`);
    }
    row.cells.forEach((v, j) => {
      const td = el('td', p.rows.columns[j]!.numeric ? 'num' : '');
      td.textContent = v ?? '';
      if (v === null) td.classList.add('null');
      tr.append(td);
    });
    return tr;
  }
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  return e;
}

/**
 * A virtualised result grid: only the rows in view (plus a few either side) exist in the DOM,
 * and their elements are reused as the grid scrolls, so a result of any size costs the same to
 * show. Column widths come from the longest value in a sample of rows, in `ch` of the
 * monospace font, so nothing needs measuring.
 */
import type { ResultSet } from './protocol.js';

const ROW_HEIGHT = 24;
/** Rows rendered beyond each edge of the viewport, so a fast scroll shows no gaps. */
const OVERSCAN = 8;
/** Browsers cap an element's height (Chromium at about 33.5M px); taller results are scaled. */
const MAX_CANVAS_PX = 8_000_000;
/** Rows sampled at each end (and between) to size columns. */
const SAMPLE_ROWS = 500;

export class ResultGrid {
  private readonly viewport: HTMLDivElement;
  private readonly header: HTMLDivElement;
  private readonly canvas: HTMLDivElement;
  private readonly body: HTMLDivElement;
  private result: ResultSet | undefined;
  private widths: string[] = [];
  private rowEls: HTMLDivElement[] = [];
  private first = -1;

  constructor(readonly root: HTMLElement) {
    root.classList.add('grid');
    root.setAttribute('role', 'table');
    this.viewport = el('div', 'grid-viewport');
    this.header = el('div', 'grid-header');
    this.header.setAttribute('role', 'row');
    this.canvas = el('div', 'grid-canvas');
    this.body = el('div', 'grid-body');
    this.body.setAttribute('role', 'rowgroup');
    this.canvas.append(this.body);
    this.viewport.append(this.header, this.canvas);
    root.append(this.viewport);
    this.viewport.addEventListener('scroll', () => this.render(), { passive: true });
    new ResizeObserver(() => this.render(true)).observe(this.viewport);
  }

  clear(): void {
    this.show(undefined);
  }

  show(result: ResultSet | undefined): void {
    this.result = result;
    this.header.replaceChildren();
    this.body.replaceChildren();
    this.rowEls = [];
    this.first = -1;
    this.root.hidden = !result;
    if (!result) return;
    this.root.setAttribute('aria-rowcount', String(result.rowCount));
    const digits = String(result.rowCount).length;
    // Padding of 1ch each side, and a little for the border and a bold header.
    this.widths = [
      `${digits + 3}ch`,
      ...result.columns.map((c, j) => {
        let longest = c.name.length;
        for (const v of sample(result.values[j] ?? [])) longest = Math.max(longest, v?.length ?? 4);
        return `${Math.min(Math.max(longest, 4), 60) + 3}ch`;
      }),
    ];
    const corner = el('div', 'cell rownum');
    corner.style.width = this.widths[0]!;
    this.header.append(corner);
    result.columns.forEach((c, j) => {
      const h = el('div', c.numeric ? 'cell num' : 'cell');
      h.setAttribute('role', 'columnheader');
      h.style.width = this.widths[j + 1]!;
      h.textContent = c.name;
      h.title = `${c.name} ${c.type}`;
      this.header.append(h);
    });
    this.canvas.style.height = `${Math.min(result.rowCount * ROW_HEIGHT, MAX_CANVAS_PX)}px`;
    this.viewport.scrollTop = 0;
    this.viewport.scrollLeft = 0;
    this.render(true);
  }

  /** Index of the first row in view, for the current scroll position. */
  private firstVisible(rows: number, visible: number): number {
    const top = this.viewport.scrollTop;
    const full = rows * ROW_HEIGHT;
    if (full <= MAX_CANVAS_PX) return Math.floor(top / ROW_HEIGHT);
    // Scaled: the scroll range maps linearly onto the row range.
    const range = MAX_CANVAS_PX - this.viewport.clientHeight;
    return Math.round((top / Math.max(range, 1)) * Math.max(rows - visible, 0));
  }

  private render(force = false): void {
    const result = this.result;
    if (!result) return;
    const rows = result.rowCount;
    const visible = Math.ceil(this.viewport.clientHeight / ROW_HEIGHT) + 1;
    const first = Math.max(0, Math.min(this.firstVisible(rows, visible), rows - 1) - OVERSCAN);
    const count = Math.max(0, Math.min(visible + 2 * OVERSCAN, rows - first));
    if (!force && first === this.first && count === this.rowEls.length) return;
    this.first = first;
    while (this.rowEls.length < count) this.rowEls.push(this.newRow(result));
    while (this.rowEls.length > count) this.rowEls.pop()!.remove();
    // Rows sit where they would in the full list; when scaled, where the scroll maps them.
    const scaled = rows * ROW_HEIGHT > MAX_CANVAS_PX;
    const offset = scaled
      ? this.viewport.scrollTop - (this.firstVisible(rows, visible) - first) * ROW_HEIGHT
      : first * ROW_HEIGHT;
    this.body.style.transform = `translateY(${Math.max(0, offset)}px)`;
    for (let k = 0; k < count; k++) this.fill(this.rowEls[k]!, first + k, result);
  }

  private newRow(result: ResultSet): HTMLDivElement {
    const row = el('div', 'grid-row');
    row.setAttribute('role', 'row');
    const num = el('div', 'cell rownum');
    num.setAttribute('role', 'rowheader');
    num.style.width = this.widths[0]!;
    row.append(num);
    result.columns.forEach((c, j) => {
      const cell = el('div', c.numeric ? 'cell num' : 'cell');
      cell.setAttribute('role', 'cell');
      cell.style.width = this.widths[j + 1]!;
      row.append(cell);
    });
    this.body.append(row);
    return row;
  }

  private fill(row: HTMLDivElement, index: number, result: ResultSet): void {
    row.dataset.row = String(index);
    row.setAttribute('aria-rowindex', String(index + 1));
    row.classList.toggle('odd', index % 2 === 1);
    const cells = row.children;
    cells[0]!.textContent = String(index + 1);
    for (let j = 0; j < result.columns.length; j++) {
      const cell = cells[j + 1] as HTMLElement;
      const v = result.values[j]![index] ?? null;
      // NULL prints as nothing, as in psql; the style shows a faint NULL that is not text.
      cell.textContent = v ?? '';
      cell.classList.toggle('null', v === null);
    }
  }
}

/** Rows to size a column by: the first and last ones, and evenly spread ones between. */
function* sample<T>(values: readonly T[]): Iterable<T> {
  const n = values.length;
  if (n <= 3 * SAMPLE_ROWS) {
    yield* values;
    return;
  }
  for (let i = 0; i < SAMPLE_ROWS; i++) yield values[i]!;
  const stride = Math.floor((n - 2 * SAMPLE_ROWS) / SAMPLE_ROWS);
  for (let i = SAMPLE_ROWS; i < n - SAMPLE_ROWS; i += stride) yield values[i]!;
  for (let i = n - SAMPLE_ROWS; i < n; i++) yield values[i]!;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  e.className = cls;
  return e;
}

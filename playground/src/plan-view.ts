/**
 * EXPLAIN results drawn as a graph: when a run ends with an EXPLAIN, its plan text (see
 * plan-graph.ts) becomes SVG boxes, the operator in bold and its details below, with arrows
 * from each input up to the operator it feeds. A toggle goes back to the text rows in the grid
 * and remembers the choice for later plans.
 */
import { clip, DEFAULT_LAYOUT, layoutPlan, parsePlan } from './plan-graph.js';
import type { ResultSet } from './protocol.js';

const SVG = 'http://www.w3.org/2000/svg';
const MARGIN = 12;

export class PlanView {
  private readonly bar: HTMLDivElement;
  private readonly toggle: HTMLButtonElement;
  private readonly graph: HTMLDivElement;
  private showGraph = true;
  private active = false;

  /** Placed before `grid`, whose visibility the toggle switches. */
  constructor(private readonly grid: HTMLElement) {
    this.bar = document.createElement('div');
    this.bar.className = 'plan-bar';
    this.bar.hidden = true;
    this.toggle = document.createElement('button');
    this.toggle.dataset.testid = 'plan-toggle';
    this.toggle.addEventListener('click', () => {
      this.showGraph = !this.showGraph;
      this.apply();
    });
    const label = document.createElement('span');
    label.textContent = 'Query plan';
    this.bar.append(label, this.toggle);
    this.graph = document.createElement('div');
    this.graph.className = 'plan-graph';
    this.graph.dataset.testid = 'plan-graph';
    this.graph.hidden = true;
    grid.before(this.bar, this.graph);
  }

  /** Shows `result` as a graph when it is an EXPLAIN's; hides the graph otherwise. */
  show(result: ResultSet | undefined, explain: boolean): void {
    const lines = result?.values[0];
    this.active = explain && result !== undefined && result.columns.length === 1 && !!lines;
    if (this.active) this.draw(lines!.map((l) => l ?? ''));
    else this.graph.replaceChildren();
    this.apply();
  }

  private apply(): void {
    this.bar.hidden = !this.active;
    this.graph.hidden = !this.active || !this.showGraph;
    // The grid holds the text rows; it gives way to the graph, not to a failed run.
    if (this.active) this.grid.hidden = this.showGraph;
    this.toggle.textContent = this.showGraph ? 'Show as text' : 'Show as graph';
  }

  private draw(lines: string[]): void {
    const o = DEFAULT_LAYOUT;
    const layout = layoutPlan(parsePlan(lines), o);
    const svg = document.createElementNS(SVG, 'svg');
    const w = layout.width + 2 * MARGIN;
    const h = layout.height + 2 * MARGIN;
    svg.setAttribute('width', String(w));
    svg.setAttribute('height', String(h));
    svg.setAttribute('viewBox', `${-MARGIN} ${-MARGIN} ${w} ${h}`);
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', `Query plan of ${layout.boxes.length} operators`);
    const defs = svg.appendChild(document.createElementNS(SVG, 'defs'));
    const marker = defs.appendChild(document.createElementNS(SVG, 'marker'));
    marker.id = 'plan-arrow';
    for (const [k, v] of Object.entries({
      viewBox: '0 0 10 10',
      refX: '10',
      refY: '5',
      markerWidth: '7',
      markerHeight: '7',
      orient: 'auto-start-reverse',
    }))
      marker.setAttribute(k, v);
    const tip = marker.appendChild(document.createElementNS(SVG, 'path'));
    tip.setAttribute('d', 'M 0 0 L 10 5 L 0 10 z');
    tip.setAttribute('class', 'plan-arrowhead');
    for (const e of layout.edges) {
      const from = layout.boxes[e.from]!;
      const to = layout.boxes[e.to]!;
      const x1 = from.x + from.width / 2;
      const y1 = from.y;
      const x2 = to.x + to.width / 2;
      const y2 = to.y + to.height;
      const mid = (y1 + y2) / 2;
      const path = svg.appendChild(document.createElementNS(SVG, 'path'));
      path.setAttribute('d', `M ${x1} ${y1} C ${x1} ${mid}, ${x2} ${mid}, ${x2} ${y2}`);
      path.setAttribute('class', 'plan-edge');
      path.setAttribute('marker-end', 'url(#plan-arrow)');
    }
    for (const b of layout.boxes) {
      const g = svg.appendChild(document.createElementNS(SVG, 'g'));
      g.setAttribute('class', 'plan-node');
      g.dataset.operator = b.name;
      const rect = g.appendChild(document.createElementNS(SVG, 'rect'));
      rect.setAttribute('x', String(b.x));
      rect.setAttribute('y', String(b.y));
      rect.setAttribute('width', String(b.width));
      rect.setAttribute('height', String(b.height));
      rect.setAttribute('rx', '5');
      const text = g.appendChild(document.createElementNS(SVG, 'text'));
      const line = (content: string, k: number, cls: string): void => {
        const span = text.appendChild(document.createElementNS(SVG, 'tspan'));
        span.setAttribute('x', String(b.x + o.padding));
        span.setAttribute('y', String(b.y + o.padding + (k + 0.8) * o.lineHeight));
        span.setAttribute('class', cls);
        span.textContent = content;
      };
      line(b.name, 0, 'plan-name');
      b.details.forEach((d, k) => line(clip(d, o.maxChars), k + 1, 'plan-detail'));
      const title = g.appendChild(document.createElementNS(SVG, 'title'));
      title.textContent = [b.name, ...b.details].join('\n');
    }
    this.graph.replaceChildren(svg);
  }
}

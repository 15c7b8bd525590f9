/**
 * The chart of a pinned view (uPlot): time on x in UTC, as the pinned rows print it, one line
 * per series (see chart-data.ts for which). `update` replaces the data on each change batch;
 * the element's `data-points` and `data-series` say what was last drawn (series lengths and
 * last values), read back from the plot, for tests and for the curious.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { chartData, type ChartData, type ChartSpec } from './chart-data.js';
import type { Column } from './protocol.js';

const HEIGHT = 200;
const COLOURS = ['#1f6feb', '#d1242f', '#1a7f37', '#9a6700', '#8250df', '#bf3989', '#57606a'];

export class LiveChart {
  readonly root: HTMLDivElement;
  private plot: uPlot | undefined;
  private labels: string[] = [];
  private readonly resize: ResizeObserver;

  constructor(
    parent: HTMLElement,
    private readonly spec: ChartSpec,
    private readonly columns: readonly Column[],
  ) {
    this.root = document.createElement('div');
    this.root.className = 'live-chart';
    this.root.dataset.testid = 'live-chart';
    parent.append(this.root);
    this.resize = new ResizeObserver(() => {
      if (this.plot) this.plot.setSize({ width: this.width(), height: HEIGHT });
    });
    this.resize.observe(this.root);
  }

  private width(): number {
    return Math.max(200, this.root.clientWidth);
  }

  update(rows: readonly (readonly (string | null)[])[]): void {
    const data = chartData(this.spec, this.columns, rows);
    const labels = data.series.map((s) => s.label);
    const aligned: uPlot.AlignedData = [data.x, ...data.series.map((s) => s.values)];
    // A new group value is a new series: uPlot's series are fixed, so the plot is made again.
    if (!this.plot || labels.join('\u0000') !== this.labels.join('\u0000')) {
      this.plot?.destroy();
      this.labels = labels;
      this.plot = new uPlot(this.options(data), aligned, this.root);
    } else this.plot.setData(aligned);
    this.describe();
  }

  private options(data: ChartData): uPlot.Options {
    return {
      width: this.width(),
      height: HEIGHT,
      // Times are UTC, as the pinned view's rows print them.
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      scales: {
        x: {
          time: true,
          // uPlot spans one point alone over years of time: show a minute around it instead.
          range: (u, min, max) => {
            const xs = u.data[0];
            return xs.length === 1 ? [xs[0]! - 30, xs[0]! + 30] : [min, max];
          },
        },
      },
      series: [
        { label: this.columns[this.spec.x]!.name },
        ...data.series.map((s, i) => ({
          label: s.label,
          stroke: COLOURS[i % COLOURS.length],
          width: 2,
          spanGaps: true,
          points: { show: true, size: 5 },
        })),
      ],
      legend: { live: true },
    };
  }

  /** Writes what the plot holds now onto the element. */
  private describe(): void {
    const plot = this.plot;
    if (!plot) return;
    const [xs, ...ys] = plot.data;
    this.root.dataset.points = String(xs?.length ?? 0);
    this.root.dataset.series = JSON.stringify(
      ys.map((values, i) => ({
        label: this.labels[i],
        length: values.length,
        last: values.length ? (values[values.length - 1] ?? null) : null,
      })),
    );
  }

  destroy(): void {
    this.resize.disconnect();
    this.plot?.destroy();
    this.plot = undefined;
    this.root.remove();
  }
}

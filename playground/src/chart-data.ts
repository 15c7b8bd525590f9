/**
 * What a pinned view's chart shows, decided from its columns alone: x is the window's start
 * (`window_start`, else `window_end`, else the first timestamp or date column); the series are
 * its numeric columns, at most `MAX_SERIES`. When the view also has a text column it is taken
 * as a grouping: the chart then shows the first numeric column, one series per group value (at
 * most `MAX_GROUPS`, in name order; later values are summed into "other"). Rows sharing an x
 * (and group) are summed. Pure, so the page's chart and Node tests share it.
 */
import type { Column } from './protocol.js';

export const MAX_SERIES = 4;
export const MAX_GROUPS = 6;

export interface ChartSpec {
  /** Index of the x (time) column. */
  x: number;
  /** Indexes of the numeric columns plotted (one, when grouped). */
  values: number[];
  /** Index of the grouping column, if any. */
  group?: number;
}

export interface ChartData {
  /** Seconds since the epoch, ascending, distinct. */
  x: number[];
  series: { label: string; values: (number | null)[] }[];
}

const TIME_TYPES = new Set(['timestamp without time zone', 'timestamp with time zone', 'date']);
const TEXT_TYPES = new Set(['character varying', 'text', 'character']);

/** How to chart a view of these columns, or undefined when it has no time or no number. */
export function chartSpec(columns: readonly Column[]): ChartSpec | undefined {
  const isTime = (c: Column): boolean => TIME_TYPES.has(c.type);
  const named = (n: string): number => columns.findIndex((c) => c.name === n && isTime(c));
  let x = named('window_start');
  if (x < 0) x = named('window_end');
  if (x < 0) x = columns.findIndex(isTime);
  if (x < 0) return undefined;
  const numeric = columns.flatMap((c, j) => (c.numeric && j !== x ? [j] : []));
  if (numeric.length === 0) return undefined;
  const group = columns.findIndex((c) => TEXT_TYPES.has(c.type));
  if (group >= 0) return { x, values: [numeric[0]!], group };
  return { x, values: numeric.slice(0, MAX_SERIES) };
}

/** Seconds since the epoch of a timestamp or date as PostgreSQL prints it (ISO style). */
export function parseTime(text: string): number | undefined {
  const m =
    /^(\d{4,})-(\d\d)-(\d\d)(?:[ T](\d\d):(\d\d):(\d\d)(\.\d+)?)?(?:([+-])(\d\d)(?::?(\d\d))?(?::?(\d\d))?)?( BC)?$/.exec(
      text,
    );
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, sign, oh, om, os, bc] = m;
  const year = bc ? 1 - Number(y) : Number(y);
  const date = new Date(0);
  date.setUTCFullYear(year, Number(mo) - 1, Number(d));
  date.setUTCHours(Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0), 0);
  let seconds = date.getTime() / 1000 + Number(frac ?? 0);
  if (sign) {
    const offset = Number(oh) * 3600 + Number(om ?? 0) * 60 + Number(os ?? 0);
    seconds -= sign === '-' ? -offset : offset;
  }
  return seconds;
}

/** The chart's columns of data from the view's rows. */
export function chartData(
  spec: ChartSpec,
  columns: readonly Column[],
  rows: readonly (readonly (string | null)[])[],
): ChartData {
  // Series labels, and for a grouping, which group value goes to which series.
  let labels: string[];
  let seriesOf: (row: readonly (string | null)[]) => number[];
  if (spec.group !== undefined) {
    const g = spec.group;
    const values = [...new Set(rows.map((r) => r[g] ?? 'NULL'))].sort();
    const shown = values.slice(0, MAX_GROUPS);
    const other = values.length > MAX_GROUPS;
    labels = other ? [...shown, 'other'] : shown;
    const index = new Map(shown.map((v, i) => [v, i]));
    seriesOf = (r) => [index.get(r[g] ?? 'NULL') ?? MAX_GROUPS];
  } else {
    labels = spec.values.map((j) => columns[j]!.name);
    seriesOf = () => spec.values.map((_, i) => i);
  }
  const sums = new Map<number, (number | null)[]>();
  for (const r of rows) {
    const t = r[spec.x];
    const x = t == null ? undefined : parseTime(t);
    if (x === undefined) continue;
    let at = sums.get(x);
    if (!at) sums.set(x, (at = labels.map(() => null)));
    const targets = seriesOf(r);
    targets.forEach((s, k) => {
      const text = r[spec.values[spec.group === undefined ? k : 0]!];
      if (text == null) return;
      const v = Number(text);
      if (!Number.isFinite(v)) return;
      at[s] = (at[s] ?? 0) + v;
    });
  }
  const x = [...sums.keys()].sort((a, b) => a - b);
  return {
    x,
    series: labels.map((label, s) => ({ label, values: x.map((t) => sums.get(t)![s] ?? null) })),
  };
}

/**
 * Time-window assignment for TUMBLE and HOP: each row gets `window_start`/`window_end`.
 * TUMBLE(size, offset): start = floor((t - offset) / size) * size + offset.
 * HOP(slide, size, offset): every window start s = k * slide + offset with s <= t < s + size,
 * so a row lands in size/slide windows.
 */
import type { PlanNode } from '../plan/logical.js';
import type { Row } from '../types/value.js';
import { Interval } from '../types/interval.js';
import { SqlError, SqlState } from '../errors.js';
import type { ExecEnv } from './env.js';
import { compiled } from './eval.js';

const MICROS_PER_DAY = 86_400_000_000n;

function intervalMicros(v: Interval, what: string): bigint {
  if (v.months !== 0)
    throw new SqlError(SqlState.featureNotSupported, `${what} with months is not supported`);
  return BigInt(v.days) * MICROS_PER_DAY + v.micros;
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

/** A window's size, slide (HOP) and offset in microseconds, checked. */
export function windowParams(
  plan: Extract<PlanNode, { kind: 'timeWindow' }>,
  env: ExecEnv,
): { size: bigint; slide: bigint | null; offset: bigint } {
  const size = intervalMicros(compiled(plan.size)([], env) as Interval, 'window size');
  const slide = plan.slide
    ? intervalMicros(compiled(plan.slide)([], env) as Interval, 'window slide')
    : null;
  const offset = plan.offset
    ? intervalMicros(compiled(plan.offset)([], env) as Interval, 'window offset')
    : 0n;
  if (size <= 0n)
    throw new SqlError(SqlState.invalidParameterValue, 'window size must be positive');
  if (slide !== null && slide <= 0n)
    throw new SqlError(SqlState.invalidParameterValue, 'window slide must be positive');
  return { size, slide, offset };
}

export function assignWindows(
  plan: Extract<PlanNode, { kind: 'timeWindow' }>,
  input: Row[],
  env: ExecEnv,
): Row[] {
  const time = compiled(plan.timeCol);
  const { size, slide, offset } = windowParams(plan, env);
  const isDate = plan.timeCol.type.kind === 'date';
  const out: Row[] = [];
  for (const row of input) {
    const raw = time(row, env);
    if (raw === null) {
      if (slide === null) out.push([...row, null, null]);
      continue;
    }
    const t = isDate ? BigInt(raw as number) * MICROS_PER_DAY : (raw as bigint);
    if (slide === null) {
      const start = floorDiv(t - offset, size) * size + offset;
      out.push([...row, start, start + size]);
      continue;
    }
    // Latest window start at or before t, then walk back while the window still covers t.
    let start = floorDiv(t - offset, slide) * slide + offset;
    const starts: bigint[] = [];
    while (start + size > t) {
      starts.push(start);
      start -= slide;
    }
    for (const s of starts.reverse()) out.push([...row, s, s + size]);
  }
  return out;
}

/**
 * The earliest window start a row with time at least `t` can be assigned: every window
 * starting before it closed when event time passed `t` (the watermark of `window_start`).
 */
export function firstOpenWindowStart(
  plan: Extract<PlanNode, { kind: 'timeWindow' }>,
  t: number | bigint,
  env: ExecEnv,
): bigint {
  const { size, slide, offset } = windowParams(plan, env);
  const micros = plan.timeCol.type.kind === 'date' ? BigInt(t) * MICROS_PER_DAY : BigInt(t);
  const step = slide ?? size;
  // A window [s, s + size) can still get rows at or after `micros` when s + size > micros.
  return floorDiv(micros - size - offset, step) * step + step + offset;
}

/**
 * Window functions over materialised input: rows are partitioned, each partition sorted by the
 * window's ORDER BY, and every call evaluated per row over its frame. Aggregates slide their
 * accumulator over the frame (apply entering rows, retract leaving ones) since ROWS, RANGE and
 * GROUPS frames with constant offsets only ever move forward. A SESSION frame (RisingWave's
 * `SESSION WITH GAP g`) is the row's session: the run of rows in which each ORDER BY value is
 * less than `g` from the previous one (see sessionLink).
 */
import type { FrameBound, PlanNode, WindowCall } from '../plan/logical.js';
import type { Row, Value } from '../types/value.js';
import { compareValues } from '../types/compare.js';
import { resolveBinaryOperator } from './operators.js';
import { SqlError, SqlState } from '../errors.js';
import type { ExecEnv } from './env.js';
import { compiled } from './eval.js';
import { compareKeys, keyOrders, rowKey } from './keys.js';
import { T, typeName } from '../types/datatype.js';
import { Interval } from '../types/interval.js';
import { Decimal } from '../types/numeric.js';
import { dateToTimestamp } from '../types/datetime.js';

export function runWindow(
  plan: Extract<PlanNode, { kind: 'window' }>,
  input: Row[],
  env: ExecEnv,
): Row[] {
  const results: Value[][] = plan.calls.map(() => new Array<Value>(input.length).fill(null));
  plan.calls.forEach((call, ci) => evalCall(call, input, env, results[ci]!));
  return input.map((r, i) => [...r, ...results.map((res) => res[i]!)]);
}

function evalCall(call: WindowCall, input: Row[], env: ExecEnv, out: Value[]): void {
  const part = call.partitionBy.map(compiled);
  const partTypes = call.partitionBy.map((p) => p.type);
  const partitions = new Map<string, number[]>();
  input.forEach((r, i) => {
    const k = rowKey(
      part.map((c) => c(r, env)),
      partTypes,
    );
    const list = partitions.get(k);
    if (list) list.push(i);
    else partitions.set(k, [i]);
  });
  const orderExprs = call.orderBy.map((o) => compiled(o.expr));
  const orders = keyOrders(call.orderBy);
  for (const idx of partitions.values()) {
    const keys = idx.map((i) => orderExprs.map((c) => c(input[i]!, env)));
    const perm = idx.map((_, j) => j);
    perm.sort((a, b) => compareKeys(keys[a]!, keys[b]!, orders) || a - b);
    const rows = perm.map((j) => input[idx[j]!]!);
    const sortedKeys = perm.map((j) => keys[j]!);
    const res = evalPartition(call, rows, sortedKeys, orders, env);
    perm.forEach((j, p) => (out[idx[j]!] = res[p]!));
  }
}

/** Peer groups: `group[i]` numbers the run of rows equal to row i on the ORDER BY keys. */
function peerGroups(keys: Value[][], orders: ReturnType<typeof keyOrders>): number[] {
  const g: number[] = [];
  for (let i = 0; i < keys.length; i++)
    g.push(
      i === 0 ? 0 : compareKeys(keys[i - 1]!, keys[i]!, orders) === 0 ? g[i - 1]! : g[i - 1]! + 1,
    );
  return g;
}

function evalPartition(
  call: WindowCall,
  rows: Row[],
  keys: Value[][],
  orders: ReturnType<typeof keyOrders>,
  env: ExecEnv,
): Value[] {
  const n = rows.length;
  const out: Value[] = new Array<Value>(n).fill(null);
  const groups = peerGroups(keys, orders);
  const args = call.args.map(compiled);
  const argAt = (k: number, i: number): Value => args[k]!(rows[i]!, env);
  switch (call.name) {
    case 'row_number':
      for (let i = 0; i < n; i++) out[i] = BigInt(i + 1);
      return out;
    case 'rank':
    case 'dense_rank':
    case 'percent_rank': {
      let rank = 1;
      for (let i = 0; i < n; i++) {
        if (i > 0 && groups[i] !== groups[i - 1]) rank = i + 1;
        if (call.name === 'rank') out[i] = BigInt(rank);
        else if (call.name === 'dense_rank') out[i] = BigInt(groups[i]! + 1);
        else out[i] = n > 1 ? (rank - 1) / (n - 1) : 0;
      }
      return out;
    }
    case 'cume_dist': {
      for (let i = 0; i < n;) {
        let j = i;
        while (j < n && groups[j] === groups[i]) j++;
        for (let k = i; k < j; k++) out[k] = j / n;
        i = j;
      }
      return out;
    }
    case 'ntile': {
      for (let i = 0; i < n; i++) {
        const b = argAt(0, i) as number | null;
        if (b === null) continue;
        if (b <= 0)
          throw new SqlError(
            SqlState.invalidParameterValue,
            'argument of ntile must be greater than zero',
          );
        const size = Math.floor(n / b);
        const extra = n % b;
        // The first `extra` buckets hold one row more.
        const big = extra * (size + 1);
        out[i] =
          i < big
            ? Math.floor(i / (size + 1)) + 1
            : extra + Math.floor((i - big) / Math.max(size, 1)) + 1;
      }
      return out;
    }
    case 'lag':
    case 'lead': {
      for (let i = 0; i < n; i++) {
        const off = call.args.length > 1 ? (argAt(1, i) as number | null) : 1;
        if (off === null) continue;
        const j = call.name === 'lag' ? i - off : i + off;
        if (call.ignoreNulls) {
          const step = call.name === 'lag' ? -1 : 1;
          let k = i;
          let found = 0;
          let v: Value = null;
          while (found < off) {
            k += step;
            if (k < 0 || k >= n) break;
            const x = argAt(0, k);
            if (x !== null) {
              found++;
              v = x;
            }
          }
          out[i] = found === off ? v : call.args.length > 2 ? argAt(2, i) : null;
          continue;
        }
        out[i] = j >= 0 && j < n ? argAt(0, j) : call.args.length > 2 ? argAt(2, i) : null;
      }
      return out;
    }
  }
  const frames = computeFrames(call, rows, keys, groups, env);
  if (call.name === 'first_value' || call.name === 'last_value' || call.name === 'nth_value') {
    for (let i = 0; i < n; i++) {
      const members = frameMembers(call, frames, groups, i);
      const vals = call.ignoreNulls ? members.filter((j) => argAt(0, j) !== null) : members;
      let j: number | undefined;
      if (call.name === 'first_value') j = vals[0];
      else if (call.name === 'last_value') j = vals[vals.length - 1];
      else {
        const nth = argAt(1, i) as number | null;
        if (nth === null) continue;
        if (nth <= 0)
          throw new SqlError(
            SqlState.invalidParameterValue,
            'argument of nth_value must be greater than zero',
          );
        j = vals[nth - 1];
      }
      out[i] = j === undefined ? null : argAt(0, j);
    }
    return out;
  }
  if (!call.agg)
    throw new SqlError(SqlState.undefinedFunction, `window function ${call.name} is not supported`);
  if (call.distinct)
    throw new SqlError(
      SqlState.featureNotSupported,
      'DISTINCT is not implemented for window functions',
    );
  const agg = call.agg;
  const filter = call.filter ? compiled(call.filter) : null;
  const included = (j: number): Value[] | null => {
    if (filter && filter(rows[j]!, env) !== true) return null;
    const vals = args.map((a) => a(rows[j]!, env));
    if (agg.ignoreNulls !== false && vals.some((v) => v === null)) return null;
    return vals;
  };
  const inputs = rows.map((_, j) => included(j));
  if (call.frame.exclude !== 'noOthers') {
    for (let i = 0; i < n; i++) {
      const acc = agg.create();
      for (const j of frameMembers(call, frames, groups, i))
        if (inputs[j]) acc.apply(inputs[j]!, 1);
      out[i] = acc.result();
    }
    return out;
  }
  // Sliding accumulator over monotone frames.
  let acc = agg.create();
  let s = 0;
  let e = 0;
  for (let i = 0; i < n; i++) {
    const [fs, fe] = frames[i]!;
    if (fs < s || fe < e || fs >= e) {
      // Frame jumped (or is disjoint from the last one): rebuild.
      acc = agg.create();
      s = fs;
      e = fs;
    }
    while (e < fe) {
      if (inputs[e]) acc.apply(inputs[e]!, 1);
      e++;
    }
    while (s < fs) {
      if (inputs[s]) acc.apply(inputs[s]!, -1);
      s++;
    }
    out[i] = fe > fs ? acc.result() : agg.create().result();
  }
  return out;
}

/** Row indices in row i's frame, after EXCLUDE. */
function frameMembers(
  call: WindowCall,
  frames: [number, number][],
  groups: number[],
  i: number,
): number[] {
  const [s, e] = frames[i]!;
  const out: number[] = [];
  for (let j = s; j < e; j++) {
    switch (call.frame.exclude) {
      case 'currentRow':
        if (j === i) continue;
        break;
      case 'group':
        if (groups[j] === groups[i]) continue;
        break;
      case 'ties':
        if (groups[j] === groups[i] && j !== i) continue;
        break;
      default:
        break;
    }
    out.push(j);
  }
  return out;
}

/**
 * Whether two neighbouring ORDER BY values of a SESSION frame (`prev` first in sort order) are
 * in one session: less than the gap apart. NULLs form a session of their own.
 */
export function sessionLink(call: WindowCall, env: ExecEnv): (prev: Value, cur: Value) => boolean {
  const gapExpr = call.frame.gap;
  const o = call.orderBy[0];
  if (!gapExpr || !o)
    throw new SqlError(SqlState.internalError, 'SESSION frame without a gap or ORDER BY');
  const gap = compiled(gapExpr)([], env);
  if (gap === null)
    throw new SqlError(SqlState.invalidParameterValue, 'the session gap must not be null');
  const t = o.expr.type;
  const positive =
    gap instanceof Interval
      ? compareValues(gap, Interval.ZERO, T.interval) > 0
      : gap instanceof Decimal
        ? gap.sign() > 0
        : (gap as number | bigint) > 0;
  if (!positive)
    throw new SqlError(SqlState.invalidParameterValue, 'the session gap must be positive');
  // Ascending: the next value is below prev + gap; descending: above prev - gap. A date moved
  // by an interval is a timestamp, compared with the next date as a timestamp.
  const op = resolveBinaryOperator(o.desc ? '-' : '+', t, gapExpr.type);
  const rt = op?.returnType;
  const dateByInterval = t.kind === 'date' && rt?.kind === 'timestamp';
  if (!op || !rt || (rt.kind !== t.kind && !dateByInterval))
    throw new SqlError(
      SqlState.featureNotSupported,
      `SESSION frames are not supported for ORDER BY type ${typeName(t)}`,
    );
  return (prev, cur) => {
    if (prev === null || cur === null) return prev === cur;
    // Peers share a session even where adding the gap changes nothing (infinity).
    if (compareValues(prev, cur, t) === 0) return true;
    const bound = op.eval(prev, gap, env.ctx);
    const c = dateByInterval
      ? compareValues(dateToTimestamp(cur as number), bound, rt)
      : compareValues(cur, bound, t);
    return o.desc ? c > 0 : c < 0;
  };
}

/** Half-open frame [start, end) of every row of a sorted partition. */
function computeFrames(
  call: WindowCall,
  rows: Row[],
  keys: Value[][],
  groups: number[],
  env: ExecEnv,
): [number, number][] {
  const n = rows.length;
  const { units, start, end } = call.frame;
  if (units === 'session') {
    const link = sessionLink(call, env);
    const frames: [number, number][] = [];
    for (let i = 0; i < n;) {
      let j = i + 1;
      while (j < n && link(keys[j - 1]![0] ?? null, keys[j]![0] ?? null)) j++;
      for (let k = i; k < j; k++) frames.push([i, j]);
      i = j;
    }
    return frames;
  }
  const offsetOf = (b: FrameBound, i: number): Value => {
    if (b.kind !== 'preceding' && b.kind !== 'following') return null;
    const v = compiled(b.offset)(rows[i]!, env);
    if (v === null)
      throw new SqlError(SqlState.invalidParameterValue, 'frame starting offset must not be null');
    if ((typeof v === 'number' || typeof v === 'bigint') && v < 0)
      throw new SqlError(
        SqlState.invalidParameterValue,
        'frame starting offset must not be negative',
      );
    return v;
  };
  // Peer-group boundaries.
  const groupStart: number[] = [];
  const groupEnd: number[] = [];
  for (let i = 0; i < n; i++) {
    if (i === 0 || groups[i] !== groups[i - 1]) groupStart[groups[i]!] = i;
    groupEnd[groups[i]!] = i + 1;
  }
  const lastGroup = n > 0 ? groups[n - 1]! : 0;

  const rangeBound = (b: FrameBound, i: number, isStart: boolean): number => {
    switch (b.kind) {
      case 'unboundedPreceding':
        return 0;
      case 'unboundedFollowing':
        return n;
      case 'currentRow':
        if (units === 'rows') return isStart ? i : i + 1;
        return isStart ? groupStart[groups[i]!]! : groupEnd[groups[i]!]!;
      case 'preceding':
      case 'following': {
        const off = offsetOf(b, i);
        const sign = b.kind === 'preceding' ? -1 : 1;
        if (units === 'rows') {
          const k = Number(off as bigint);
          const p = i + sign * k;
          return Math.min(Math.max(isStart ? p : p + 1, 0), n);
        }
        if (units === 'groups') {
          const k = Number(off as bigint);
          const g = groups[i]! + sign * k;
          if (isStart) return g < 0 ? 0 : g > lastGroup ? n : groupStart[g]!;
          return g < 0 ? 0 : g > lastGroup ? n : groupEnd[g]!;
        }
        // RANGE with offset: compare ORDER BY value against current ± offset.
        const o = call.orderBy[0]!;
        const cur = keys[i]![0] ?? null;
        if (cur === null) return isStart ? groupStart[groups[i]!]! : groupEnd[groups[i]!]!;
        const t = o.expr.type;
        const offType =
          t.kind === 'timestamp' || t.kind === 'timestamptz' || t.kind === 'date' ? T.interval : t;
        const dirSign = o.desc ? -sign : sign;
        const opName = dirSign < 0 ? '-' : '+';
        const op =
          resolveBinaryOperator(opName, t, offType) ??
          resolveBinaryOperator(opName, t, call.orderBy[0]!.expr.type);
        if (!op)
          throw new SqlError(
            SqlState.featureNotSupported,
            `RANGE with offset PRECEDING/FOLLOWING is not supported for column type ${typeName(t)}`,
          );
        const bound = op.eval(cur, off!, env.ctx);
        const resultType = op.returnType;
        // In sort order, find the first row at or beyond the bound (start), or past it (end).
        const cmp = (j: number): number => {
          const v = keys[j]![0] ?? null;
          if (v === null) return o.nullsFirst ? -1 : 1;
          const c = compareValues(v, bound, resultType.kind === t.kind ? t : resultType);
          return o.desc ? -c : c;
        };
        let j = 0;
        if (isStart) {
          while (j < n && cmp(j) < 0) j++;
          return j;
        }
        while (j < n && cmp(j) <= 0) j++;
        return j;
      }
    }
  };
  const frames: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    const s = rangeBound(start, i, true);
    const e = rangeBound(end, i, false);
    frames.push([s, Math.max(s, e)]);
  }
  return frames;
}

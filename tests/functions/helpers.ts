/** Test helpers: resolve and call built-in functions the way the binder and executor do. */
import { lookupAggregate, lookupScalar } from '../../runtime/functions/index.js';
import type { DataType } from '../../runtime/types/datatype.js';
import type { Value } from '../../runtime/types/value.js';
import { defaultEvalContext } from '../../runtime/expr/context.js';
import type { EvalContext } from '../../runtime/expr/context.js';
import type { ResolvedAggregate, ResolvedScalar } from '../../runtime/expr/registry.js';

export function resolve(name: string, types: DataType[]): ResolvedScalar {
  const f = lookupScalar(name);
  if (!f) throw new Error(`no function ${name}`);
  const r = f.resolve(types);
  if (!r) throw new Error(`no overload ${name}(${types.map((t) => t.kind).join(', ')})`);
  return r;
}

/** Calls `name` with typed arguments, honouring strictness. */
export function call(
  name: string,
  args: [Value, DataType][],
  ctx: EvalContext = defaultEvalContext(),
): Value {
  const r = resolve(
    name,
    args.map((a) => a[1]),
  );
  const vals = args.map((a) => a[0]);
  if (r.strict !== false && vals.some((v) => v === null)) return null;
  return r.eval(vals, ctx);
}

export function agg(name: string, types: DataType[], distinct = false): ResolvedAggregate {
  const f = lookupAggregate(name);
  if (!f) throw new Error(`no aggregate ${name}`);
  const r = f.resolve(types, distinct);
  if (!r) throw new Error(`no overload ${name}(${types.map((t) => t.kind).join(', ')})`);
  return r;
}

/** Feeds rows to a fresh accumulator (skipping NULL rows when the aggregate ignores NULLs). */
export function runAgg(r: ResolvedAggregate, rows: Value[][]): Value {
  const acc = r.create();
  for (const row of rows) {
    if (r.ignoreNulls !== false && row.some((v) => v === null)) continue;
    acc.apply(row, 1);
  }
  return acc.result();
}

/** Expects `f` to throw an error with the given SQLSTATE (and optional message part). */
export function sqlstateOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
}

/**
 * Overload resolution for built-in functions, after PostgreSQL's `func_select_candidate`: keep the
 * candidates every argument can be implicitly cast to, then prefer the most exact matches, then
 * string types (then preferred types) for `unknown` literals, then preferred types where a
 * conversion is needed.
 */
import type { DataType } from '../types/datatype.js';
import { T, typesEqual } from '../types/datatype.js';
import { canImplicitCast } from '../types/coerce.js';
import type { Value } from '../types/value.js';
import type { EvalContext } from '../expr/context.js';
import type {
  AggregateFunction,
  ResolvedAggregate,
  ResolvedScalar,
  ScalarFunction,
} from '../expr/registry.js';

/** `any` accepts every argument type as it is (an `unknown` literal becomes text). */
export type ArgSpec = DataType | 'any';

export interface Overload {
  args: ArgSpec[];
  /** Further arguments, each of this spec (PostgreSQL's VARIADIC). */
  variadic?: ArgSpec;
  ret: DataType | ((argTypes: DataType[]) => DataType);
  eval: (args: Value[], ctx: EvalContext) => Value;
  strict?: boolean;
  volatile?: boolean;
}

const preferred = new Set(['float8', 'text', 'timestamptz', 'interval', 'boolean']);
const numericRank: Partial<Record<string, number>> = {
  int2: 1,
  int4: 2,
  int8: 3,
  numeric: 4,
  float4: 5,
  float8: 6,
};

function isStr(k: string): boolean {
  return k === 'text' || k === 'varchar';
}

function exactMatch(actual: DataType, spec: ArgSpec): boolean {
  if (spec === 'any') return actual.kind !== 'unknown';
  if (isStr(actual.kind) && isStr(spec.kind)) return true;
  if (actual.kind === 'numeric' && spec.kind === 'numeric') return true;
  return typesEqual(actual, spec);
}

function accepts(actual: DataType, spec: ArgSpec): boolean {
  if (spec === 'any') return true;
  if (actual.kind === 'numeric' && spec.kind === 'numeric') return true;
  return canImplicitCast(actual, spec);
}

interface Scored {
  index: number;
  exact: number;
  unknownScore: number;
  pref: number;
  distance: number;
}

/** Expands an overload's declared argument list to `n` arguments, or undefined if it cannot. */
export function specsFor(
  o: { args: ArgSpec[]; variadic?: ArgSpec },
  n: number,
): ArgSpec[] | undefined {
  if (n === o.args.length) return o.args;
  if (o.variadic !== undefined && n > o.args.length) {
    const out = o.args.slice();
    while (out.length < n) out.push(o.variadic);
    return out;
  }
  return undefined;
}

/** Picks the best candidate index among `specLists` for `argTypes`, or -1. */
export function pickCandidate(specLists: (ArgSpec[] | undefined)[], argTypes: DataType[]): number {
  const scored: Scored[] = [];
  specLists.forEach((specs, index) => {
    if (specs === undefined || specs.length !== argTypes.length) return;
    let exact = 0;
    let unknownScore = 0;
    let pref = 0;
    let distance = 0;
    for (let i = 0; i < specs.length; i++) {
      const a = argTypes[i]!;
      const s = specs[i]!;
      if (!accepts(a, s)) return;
      if (exactMatch(a, s)) {
        exact++;
        continue;
      }
      const sk = s === 'any' ? 'text' : s.kind;
      if (a.kind === 'unknown') {
        unknownScore += isStr(sk) ? 2 : preferred.has(sk) ? 1 : 0;
      } else {
        if (preferred.has(sk)) pref++;
        const ra = numericRank[a.kind];
        const rs = numericRank[sk];
        distance += ra !== undefined && rs !== undefined ? rs - ra : 1;
      }
    }
    scored.push({ index, exact, unknownScore, pref, distance });
  });
  if (scored.length === 0) return -1;
  scored.sort(
    (x, y) =>
      y.exact - x.exact ||
      y.unknownScore - x.unknownScore ||
      y.pref - x.pref ||
      x.distance - y.distance ||
      x.index - y.index,
  );
  return scored[0]!.index;
}

function concreteArgTypes(specs: ArgSpec[], argTypes: DataType[]): DataType[] {
  return specs.map((s, i) => {
    const a = argTypes[i]!;
    if (s === 'any') return a.kind === 'unknown' ? T.text : a;
    // Keep a declared numeric typmod of the argument: the value is already a valid numeric.
    if (s.kind === 'numeric' && a.kind === 'numeric') return a;
    return s;
  });
}

export function resolveOverload(
  overloads: Overload[],
  argTypes: DataType[],
): ResolvedScalar | undefined {
  const specLists = overloads.map((o) => specsFor(o, argTypes.length));
  const idx = pickCandidate(specLists, argTypes);
  if (idx < 0) return undefined;
  const o = overloads[idx]!;
  const types = concreteArgTypes(specLists[idx]!, argTypes);
  const res: ResolvedScalar = {
    argTypes: types,
    returnType: typeof o.ret === 'function' ? o.ret(types) : o.ret,
    eval: o.eval,
  };
  if (o.strict === false) res.strict = false;
  if (o.volatile) res.volatile = true;
  return res;
}

/** A scalar function defined by a fixed overload list. */
export function scalar(name: string, overloads: Overload[]): ScalarFunction {
  return { name, resolve: (argTypes) => resolveOverload(overloads, argTypes) };
}

/** A scalar function with its own resolution (polymorphic argument handling). */
export function customScalar(
  name: string,
  resolve: (argTypes: DataType[]) => ResolvedScalar | undefined,
): ScalarFunction {
  return { name, resolve };
}

export interface AggOverload {
  args: ArgSpec[];
  ret: DataType | ((argTypes: DataType[]) => DataType);
  create: (argTypes: DataType[]) => ResolvedAggregate['create'];
  ignoreNulls?: boolean;
}

export function aggregate(name: string, overloads: AggOverload[]): AggregateFunction {
  return {
    name,
    resolve(argTypes) {
      const specLists = overloads.map((o) => specsFor(o, argTypes.length));
      const idx = pickCandidate(specLists, argTypes);
      if (idx < 0) return undefined;
      const o = overloads[idx]!;
      const types = concreteArgTypes(specLists[idx]!, argTypes);
      const res: ResolvedAggregate = {
        argTypes: types,
        returnType: typeof o.ret === 'function' ? o.ret(types) : o.ret,
        create: o.create(types),
      };
      if (o.ignoreNulls === false) res.ignoreNulls = false;
      return res;
    },
  };
}

/**
 * Array functions over Sluice's one-dimensional arrays (lower bound 1), with PostgreSQL's
 * polymorphic typing: an `unknown` element argument takes the array's element type.
 */
import { SqlError, SqlState } from '../errors.js';
import type { DataType } from '../types/datatype.js';
import { T, arrayOf } from '../types/datatype.js';
import { commonType } from '../types/coerce.js';
import { compareValues, valuesEqual } from '../types/compare.js';
import { Decimal } from '../types/numeric.js';
import type { Value } from '../types/value.js';
import type { ResolvedScalar, ScalarFunction } from '../expr/registry.js';
import { textOf } from './util.js';

type Arr = Value[];

/** `IS NOT DISTINCT FROM` on elements. */
function same(a: Value, b: Value, t: DataType): boolean {
  if (a === null || b === null) return a === b;
  return valuesEqual(a, b, t);
}

/** Resolves (anyarray, anyelement...) style signatures. */
function poly(
  name: string,
  shape: ('arr' | 'elem' | 'int' | 'text')[],
  ret: (arr: DataType & { kind: 'array' }) => DataType,
  f: (args: Value[], arrType: DataType & { kind: 'array' }) => Value,
  strict = true,
): ScalarFunction {
  return {
    name,
    resolve(argTypes): ResolvedScalar | undefined {
      if (argTypes.length !== shape.length) return undefined;
      const elems: DataType[] = [];
      argTypes.forEach((t, i) => {
        if (shape[i] === 'arr') {
          if (t.kind === 'array') elems.push(t.element);
          else if (t.kind !== 'unknown') elems.push({ kind: 'unknown' });
        } else if (shape[i] === 'elem') elems.push(t);
      });
      if (elems.some((e) => e.kind === 'unknown' && !argTypes.some((t) => t.kind === 'array')))
        if (!argTypes.some((t) => t.kind === 'array')) return undefined;
      const known = elems.filter((e) => e.kind !== 'unknown');
      for (let i = 0; i < argTypes.length; i++)
        if (shape[i] === 'arr' && argTypes[i]!.kind !== 'array' && argTypes[i]!.kind !== 'unknown')
          return undefined;
      const el = known.length ? commonType(known) : T.text;
      if (!el) return undefined;
      const at = arrayOf(el) as DataType & { kind: 'array' };
      const types = shape.map((s) =>
        s === 'arr' ? at : s === 'elem' ? el : s === 'int' ? T.int4 : T.text,
      );
      for (let i = 0; i < argTypes.length; i++) {
        const a = argTypes[i]!;
        if (
          (shape[i] === 'int' && !['int2', 'int4', 'unknown'].includes(a.kind)) ||
          (shape[i] === 'text' && !['text', 'varchar', 'unknown'].includes(a.kind))
        )
          return undefined;
      }
      const r: ResolvedScalar = { argTypes: types, returnType: ret(at), eval: (a) => f(a, at) };
      if (!strict) r.strict = false;
      return r;
    },
  };
}

const elemOf = (t: DataType): DataType => (t.kind === 'array' ? t.element : t);

function sumArray(a: Arr, el: DataType): Value {
  const vals = a.filter((v) => v !== null);
  if (vals.length === 0) return null;
  switch (el.kind) {
    case 'int2':
    case 'int4':
      return BigInt(vals.reduce<number>((s, v) => s + (v as number), 0));
    case 'int8':
      return Decimal.fromBigInt(vals.reduce<bigint>((s, v) => s + (v as bigint), 0n));
    case 'numeric':
      return vals.reduce<Decimal>((s, v) => s.add(v as Decimal), Decimal.ZERO);
    case 'float4':
    case 'float8':
      return vals.reduce<number>((s, v) => s + (v as number), 0);
  }
  throw new SqlError(SqlState.undefinedFunction, `array_sum is not supported for ${el.kind}[]`);
}

function sumType(el: DataType): DataType {
  if (el.kind === 'int2' || el.kind === 'int4') return T.int8;
  if (el.kind === 'int8') return T.numeric;
  return el;
}

function extreme(a: Arr, el: DataType, max: boolean): Value {
  let best: Value = null;
  for (const v of a) {
    if (v === null) continue;
    if (best === null || compareValues(v, best, el) > 0 === max) {
      if (best === null || compareValues(v, best, el) !== 0) best = v;
    }
  }
  return best;
}

export const arrayFunctions: ScalarFunction[] = [
  poly(
    'array_length',
    ['arr', 'int'],
    () => T.int4,
    (a) => (a[1] === 1 && (a[0] as Arr).length > 0 ? (a[0] as Arr).length : null),
  ),
  poly(
    'cardinality',
    ['arr'],
    () => T.int4,
    (a) => (a[0] as Arr).length,
  ),
  poly(
    'array_lower',
    ['arr', 'int'],
    () => T.int4,
    (a) => (a[1] === 1 && (a[0] as Arr).length > 0 ? 1 : null),
  ),
  poly(
    'array_upper',
    ['arr', 'int'],
    () => T.int4,
    (a) => (a[1] === 1 && (a[0] as Arr).length > 0 ? (a[0] as Arr).length : null),
  ),
  poly(
    'array_ndims',
    ['arr'],
    () => T.int4,
    (a) => ((a[0] as Arr).length > 0 ? 1 : null),
  ),
  poly(
    'array_dims',
    ['arr'],
    () => T.text,
    (a) => ((a[0] as Arr).length > 0 ? `[1:${(a[0] as Arr).length}]` : null),
  ),
  poly(
    'array_append',
    ['arr', 'elem'],
    (t) => t,
    (a) => [...((a[0] as Arr | null) ?? []), a[1]!],
    false,
  ),
  poly(
    'array_prepend',
    ['elem', 'arr'],
    (t) => t,
    (a) => [a[0]!, ...((a[1] as Arr | null) ?? [])],
    false,
  ),
  poly(
    'array_cat',
    ['arr', 'arr'],
    (t) => t,
    (a) =>
      a[0] === null && a[1] === null
        ? null
        : [...((a[0] as Arr | null) ?? []), ...((a[1] as Arr | null) ?? [])],
    false,
  ),
  poly(
    'array_position',
    ['arr', 'elem'],
    () => T.int4,
    (a, t) => {
      if (a[0] === null) return null;
      const i = (a[0] as Arr).findIndex((v) => same(v, a[1]!, t.element));
      return i < 0 ? null : i + 1;
    },
    false,
  ),
  poly(
    'array_positions',
    ['arr', 'elem'],
    () => arrayOf(T.int4),
    (a, t) => {
      if (a[0] === null) return null;
      const out: Value[] = [];
      (a[0] as Arr).forEach((v, i) => {
        if (same(v, a[1]!, t.element)) out.push(i + 1);
      });
      return out;
    },
    false,
  ),
  poly(
    'array_remove',
    ['arr', 'elem'],
    (t) => t,
    (a, t) => (a[0] === null ? null : (a[0] as Arr).filter((v) => !same(v, a[1]!, t.element))),
    false,
  ),
  poly(
    'array_replace',
    ['arr', 'elem', 'elem'],
    (t) => t,
    (a, t) =>
      a[0] === null ? null : (a[0] as Arr).map((v) => (same(v, a[1]!, t.element) ? a[2]! : v)),
    false,
  ),
  poly(
    'array_distinct',
    ['arr'],
    (t) => t,
    (a, t) => {
      const out: Value[] = [];
      for (const v of a[0] as Arr) if (!out.some((x) => same(x, v, t.element))) out.push(v);
      return out;
    },
  ),
  poly(
    'array_reverse',
    ['arr'],
    (t) => t,
    (a) => [...(a[0] as Arr)].reverse(),
  ),
  poly(
    'array_sort',
    ['arr'],
    (t) => t,
    (a, t) =>
      [...(a[0] as Arr)].sort((x, y) =>
        x === null ? (y === null ? 0 : 1) : y === null ? -1 : compareValues(x, y, t.element),
      ),
  ),
  poly(
    'array_contains',
    ['arr', 'arr'],
    () => T.boolean,
    (a, t) =>
      (a[1] as Arr).every((v) => v !== null && (a[0] as Arr).some((x) => same(x, v, t.element))),
  ),
  poly(
    'trim_array',
    ['arr', 'int'],
    (t) => t,
    (a) => {
      const arr = a[0] as Arr;
      const n = a[1] as number;
      if (n < 0 || n > arr.length)
        throw new SqlError(
          SqlState.arraySubscriptError,
          'number of elements to trim must be between 0 and ' + arr.length,
        );
      return arr.slice(0, arr.length - n);
    },
  ),
  poly(
    'array_sum',
    ['arr'],
    (t) => sumType(t.element),
    (a, t) => sumArray(a[0] as Arr, t.element),
  ),
  poly(
    'array_min',
    ['arr'],
    (t) => t.element,
    (a, t) => extreme(a[0] as Arr, t.element, false),
  ),
  poly(
    'array_max',
    ['arr'],
    (t) => t.element,
    (a, t) => extreme(a[0] as Arr, t.element, true),
  ),
  ...['array_to_string', 'array_join'].flatMap((name) => [
    {
      name,
      resolve(argTypes: DataType[]): ResolvedScalar | undefined {
        if (argTypes.length < 2 || argTypes.length > 3) return undefined;
        const at = argTypes[0]!;
        if (at.kind !== 'array') return undefined;
        const el = elemOf(at);
        return {
          argTypes: [at, ...argTypes.slice(1).map(() => T.text)],
          returnType: T.text,
          strict: false,
          eval: (a, ctx) => {
            if (a[0] === null || a[1] === null) return null;
            const nullStr = (a[2] as string | null | undefined) ?? null;
            const parts: string[] = [];
            for (const v of a[0] as Arr) {
              if (v === null) {
                if (nullStr !== null) parts.push(nullStr);
              } else parts.push(textOf(v, el, ctx));
            }
            return parts.join(a[1] as string);
          },
        };
      },
    },
  ]),
];

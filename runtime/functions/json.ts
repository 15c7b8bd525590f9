/**
 * JSONB functions: building values from SQL values (`to_jsonb`, `jsonb_build_*`) and inspecting
 * them (`jsonb_typeof`, `jsonb_array_length`, path extraction, ...).
 */
import { SqlError, SqlState } from '../errors.js';
import type { DataType } from '../types/datatype.js';
import { T, arrayOf } from '../types/datatype.js';
import { Decimal } from '../types/numeric.js';
import { Jsonb, JsonObject } from '../types/jsonb.js';
import type { JsonValue } from '../types/jsonb.js';
import { formatFloat, formatValue } from '../types/format.js';
import { StructValue } from '../types/value.js';
import type { Value } from '../types/value.js';
import type { ScalarFunction } from '../expr/registry.js';
import { scalar } from './overload.js';

const { jsonb, text, int4 } = T;

function iso(s: string): string {
  // PostgreSQL's JSON rendering of timestamps uses ISO 8601 with a `T`.
  return s.replace(' ', 'T');
}

/** SQL value → JSON value, as `to_jsonb` converts it. */
export function toJsonValue(v: Value, t: DataType, timeZone = 'UTC'): JsonValue {
  if (v === null) return null;
  switch (t.kind) {
    case 'boolean':
      return v as boolean;
    case 'int2':
    case 'int4':
    case 'int8':
      return Decimal.fromBigInt(v as number | bigint);
    case 'float4':
    case 'float8': {
      const x = v as number;
      if (!Number.isFinite(x)) return formatFloat(x);
      return Decimal.parse(formatFloat(x, t.kind === 'float4'));
    }
    case 'numeric': {
      const d = v as Decimal;
      return d.isFinite() ? d : d.toString();
    }
    case 'jsonb':
      return (v as Jsonb).value;
    case 'text':
    case 'varchar':
      return v as string;
    case 'array':
      return (v as Value[]).map((x) => toJsonValue(x, t.element, timeZone));
    case 'struct': {
      const sv = v as StructValue;
      return new JsonObject(
        t.fields.map((f, i) => [f.name, toJsonValue(sv.fields[i] ?? null, f.type, timeZone)]),
      );
    }
    case 'timestamp':
    case 'timestamptz': {
      const s = formatValue(v, t, { timeZone });
      if (t.kind === 'timestamptz') {
        // `+00` becomes `+00:00` in JSON.
        return iso(s).replace(/([+-]\d\d)$/, '$1:00');
      }
      return iso(s);
    }
    default:
      return formatValue(v, t, { timeZone });
  }
}

function arrayLength(j: Jsonb): number {
  if (Array.isArray(j.value)) return j.value.length;
  if (j.value instanceof JsonObject)
    throw new SqlError(SqlState.invalidParameterValue, 'cannot get array length of a non-array');
  throw new SqlError(SqlState.invalidParameterValue, 'cannot get array length of a scalar');
}

function objectKeys(j: Jsonb): Value[] {
  if (j.value instanceof JsonObject) return [...j.value.entries.keys()];
  const what = Array.isArray(j.value) ? 'an array' : 'a scalar';
  throw new SqlError(SqlState.invalidParameterValue, `cannot call jsonb_object_keys on ${what}`);
}

function stripNulls(v: JsonValue): JsonValue {
  if (Array.isArray(v)) return v.map(stripNulls);
  if (v instanceof JsonObject)
    return new JsonObject(
      [...v.entries].filter(([, x]) => x !== null).map(([k, x]) => [k, stripNulls(x)]),
    );
  return v;
}

function pretty(v: JsonValue, indent: string): string {
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    const inner = indent + '    ';
    return `[\n${v.map((x) => inner + pretty(x, inner)).join(',\n')}\n${indent}]`;
  }
  if (v instanceof JsonObject) {
    if (v.size === 0) return '{}';
    const inner = indent + '    ';
    const parts = [...v.entries].map(
      ([k, x]) => `${inner}${new Jsonb(k).toString()}: ${pretty(x, inner)}`,
    );
    return `{\n${parts.join(',\n')}\n${indent}}`;
  }
  return new Jsonb(v).toString();
}

function buildObject(args: Value[], types: DataType[], tz: string): Jsonb {
  if (args.length % 2 !== 0)
    throw new SqlError(
      SqlState.invalidParameterValue,
      'argument list must have even number of elements',
      undefined,
      undefined,
      'The arguments of jsonb_build_object() must consist of alternating keys and values.',
    );
  const pairs: [string, JsonValue][] = [];
  for (let i = 0; i < args.length; i += 2) {
    const k = args[i]!;
    if (k === null)
      throw new SqlError(SqlState.invalidParameterValue, `argument ${i + 1}: key must not be null`);
    const kj = toJsonValue(k, types[i]!, tz);
    const key = typeof kj === 'string' ? kj : new Jsonb(kj).toString();
    pairs.push([key, toJsonValue(args[i + 1]!, types[i + 1]!, tz)]);
  }
  return new Jsonb(new JsonObject(pairs));
}

function anyArgs(argTypes: DataType[]): DataType[] {
  return argTypes.map((t) => (t.kind === 'unknown' ? text : t));
}

const variadicAny = (
  name: string,
  build: (args: Value[], types: DataType[], tz: string) => Value,
): ScalarFunction => ({
  name,
  resolve(argTypes) {
    const types = anyArgs(argTypes);
    return {
      argTypes: types,
      returnType: jsonb,
      strict: false,
      eval: (a, ctx) => build(a, types, ctx.timeZone),
    };
  },
});

export const jsonFunctions: ScalarFunction[] = [
  variadicAny('jsonb_build_object', buildObject),
  variadicAny(
    'jsonb_build_array',
    (a, types, tz) => new Jsonb(a.map((v, i) => toJsonValue(v, types[i]!, tz))),
  ),
  {
    name: 'to_jsonb',
    resolve(argTypes) {
      if (argTypes.length !== 1) return undefined;
      const types = anyArgs(argTypes);
      return {
        argTypes: types,
        returnType: jsonb,
        eval: (a, ctx) => new Jsonb(toJsonValue(a[0]!, types[0]!, ctx.timeZone)),
      };
    },
  },
  scalar('jsonb_typeof', [{ args: [jsonb], ret: text, eval: (a) => (a[0] as Jsonb).typeName() }]),
  scalar('jsonb_array_length', [
    { args: [jsonb], ret: int4, eval: (a) => arrayLength(a[0] as Jsonb) },
  ]),
  scalar('jsonb_object_keys', [
    { args: [jsonb], ret: arrayOf(text), eval: (a) => objectKeys(a[0] as Jsonb) },
  ]),
  scalar('jsonb_extract_path', [
    {
      args: [jsonb],
      variadic: text,
      ret: jsonb,
      strict: false,
      eval: (a) =>
        a[0] === null ? null : (a[0] as Jsonb).getPath(a.slice(1) as (string | null)[]),
    },
  ]),
  scalar('jsonb_extract_path_text', [
    {
      args: [jsonb],
      variadic: text,
      ret: text,
      strict: false,
      eval: (a) =>
        a[0] === null ? null : (a[0] as Jsonb).getPathText(a.slice(1) as (string | null)[]),
    },
  ]),
  scalar('jsonb_strip_nulls', [
    { args: [jsonb], ret: jsonb, eval: (a) => new Jsonb(stripNulls((a[0] as Jsonb).value)) },
  ]),
  scalar('jsonb_pretty', [
    { args: [jsonb], ret: text, eval: (a) => pretty((a[0] as Jsonb).value, '') },
  ]),
];

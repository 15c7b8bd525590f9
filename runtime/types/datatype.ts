/**
 * SQL data types as Sluice's binder and executor see them. Values of each type are represented in
 * JavaScript as described in `value.ts`.
 */
export type DataType =
  | { kind: 'boolean' }
  | { kind: 'int2' }
  | { kind: 'int4' }
  | { kind: 'int8' }
  | { kind: 'float4' }
  | { kind: 'float8' }
  /** Exact decimal. `precision`/`scale` are the declared typmod, if any. */
  | { kind: 'numeric'; precision?: number; scale?: number }
  | { kind: 'varchar'; length?: number }
  | { kind: 'text' }
  | { kind: 'date' }
  | { kind: 'time' }
  | { kind: 'timestamp' }
  | { kind: 'timestamptz' }
  | { kind: 'interval' }
  | { kind: 'jsonb' }
  | { kind: 'bytea' }
  | { kind: 'array'; element: DataType }
  | { kind: 'struct'; fields: StructField[] }
  /** The type of an untyped literal (`'abc'`, `NULL`) before the binder resolves it. */
  | { kind: 'unknown' };

export interface StructField {
  name: string;
  type: DataType;
}

export type DataTypeKind = DataType['kind'];

export const T = {
  boolean: { kind: 'boolean' },
  int2: { kind: 'int2' },
  int4: { kind: 'int4' },
  int8: { kind: 'int8' },
  float4: { kind: 'float4' },
  float8: { kind: 'float8' },
  numeric: { kind: 'numeric' },
  varchar: { kind: 'varchar' },
  text: { kind: 'text' },
  date: { kind: 'date' },
  time: { kind: 'time' },
  timestamp: { kind: 'timestamp' },
  timestamptz: { kind: 'timestamptz' },
  interval: { kind: 'interval' },
  jsonb: { kind: 'jsonb' },
  bytea: { kind: 'bytea' },
  unknown: { kind: 'unknown' },
} as const satisfies Record<string, DataType>;

export function arrayOf(element: DataType): DataType {
  return { kind: 'array', element };
}

/** PostgreSQL's `format_type` spelling: `integer`, `character varying`, `timestamp with time zone`. */
export function typeName(t: DataType): string {
  switch (t.kind) {
    case 'boolean':
      return 'boolean';
    case 'int2':
      return 'smallint';
    case 'int4':
      return 'integer';
    case 'int8':
      return 'bigint';
    case 'float4':
      return 'real';
    case 'float8':
      return 'double precision';
    case 'numeric':
      return t.precision !== undefined ? `numeric(${t.precision},${t.scale ?? 0})` : 'numeric';
    case 'varchar':
      return t.length !== undefined ? `character varying(${t.length})` : 'character varying';
    case 'text':
      return 'text';
    case 'date':
      return 'date';
    case 'time':
      return 'time without time zone';
    case 'timestamp':
      return 'timestamp without time zone';
    case 'timestamptz':
      return 'timestamp with time zone';
    case 'interval':
      return 'interval';
    case 'jsonb':
      return 'jsonb';
    case 'bytea':
      return 'bytea';
    case 'array':
      return `${typeName(t.element)}[]`;
    case 'struct':
      return `struct<${t.fields.map((f) => `${f.name} ${typeName(f.type)}`).join(', ')}>`;
    case 'unknown':
      return 'unknown';
  }
}

export function typesEqual(a: DataType, b: DataType): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'array' && b.kind === 'array') return typesEqual(a.element, b.element);
  if (a.kind === 'struct' && b.kind === 'struct')
    return (
      a.fields.length === b.fields.length &&
      a.fields.every(
        (f, i) => f.name === b.fields[i]!.name && typesEqual(f.type, b.fields[i]!.type),
      )
    );
  return true;
}

export function isNumeric(t: DataType): boolean {
  return (
    t.kind === 'int2' ||
    t.kind === 'int4' ||
    t.kind === 'int8' ||
    t.kind === 'float4' ||
    t.kind === 'float8' ||
    t.kind === 'numeric'
  );
}

export function isInteger(t: DataType): boolean {
  return t.kind === 'int2' || t.kind === 'int4' || t.kind === 'int8';
}

export function isString(t: DataType): boolean {
  return t.kind === 'varchar' || t.kind === 'text';
}

export function isTemporal(t: DataType): boolean {
  return (
    t.kind === 'date' || t.kind === 'time' || t.kind === 'timestamp' || t.kind === 'timestamptz'
  );
}

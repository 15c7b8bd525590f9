/**
 * PostgreSQL type OIDs, lengths and type modifiers for Sluice's SQL types, as `RowDescription`,
 * `ParameterDescription` and `Parse` carry them.
 */
import type { DataType } from '../../runtime/types/datatype.js';

/** Element type kind → [scalar OID, array OID, typlen]. */
const TABLE: Record<string, [number, number, number]> = {
  boolean: [16, 1000, 1],
  bytea: [17, 1001, -1],
  int8: [20, 1016, 8],
  int2: [21, 1005, 2],
  int4: [23, 1007, 4],
  text: [25, 1009, -1],
  float4: [700, 1021, 4],
  float8: [701, 1022, 8],
  varchar: [1043, 1015, -1],
  date: [1082, 1182, 4],
  time: [1083, 1183, 8],
  timestamp: [1114, 1115, 8],
  timestamptz: [1184, 1185, 8],
  interval: [1186, 1187, 16],
  numeric: [1700, 1231, -1],
  jsonb: [3802, 3807, -1],
  unknown: [705, 0, -2],
  // A struct has no catalog row type in Sluice; clients read it as an anonymous record.
  struct: [2249, 2287, -1],
};

export const OID = {
  bool: 16,
  bytea: 17,
  int8: 20,
  int2: 21,
  int4: 23,
  text: 25,
  oid: 26,
  json: 114,
  float4: 700,
  float8: 701,
  unknown: 705,
  varchar: 1043,
  bpchar: 1042,
  date: 1082,
  time: 1083,
  timestamp: 1114,
  timestamptz: 1184,
  interval: 1186,
  numeric: 1700,
  jsonb: 3802,
} as const;

/** The OID a column or parameter of type `t` is reported with. */
export function typeOid(t: DataType): number {
  if (t.kind === 'array') {
    const e = TABLE[t.element.kind];
    return e && e[1] !== 0 ? e[1] : 2277; // anyarray for arrays of arrays / unknowns
  }
  return TABLE[t.kind]![0];
}

/** `pg_type.typlen` of the reported type. */
export function typeLength(t: DataType): number {
  if (t.kind === 'array') return -1;
  return TABLE[t.kind]![2];
}

/** The type modifier PostgreSQL reports: varchar(n) → n+4, numeric(p,s) → (p<<16 | s)+4. */
export function typeModifier(t: DataType): number {
  if (t.kind === 'varchar' && t.length !== undefined) return t.length + 4;
  if (t.kind === 'numeric' && t.precision !== undefined)
    return ((t.precision << 16) | (t.scale ?? 0)) + 4;
  return -1;
}

const BY_OID = new Map<number, DataType>();
for (const [kind, [oid, arrayOid]] of Object.entries(TABLE)) {
  if (kind === 'struct' || kind === 'unknown') continue;
  const t = { kind } as DataType;
  BY_OID.set(oid, t);
  if (arrayOid) BY_OID.set(arrayOid, { kind: 'array', element: t });
}
// Types clients commonly declare that Sluice reads as one of its own.
BY_OID.set(OID.json, { kind: 'jsonb' });
BY_OID.set(OID.bpchar, { kind: 'text' });
BY_OID.set(OID.oid, { kind: 'int8' });
BY_OID.set(1014, { kind: 'array', element: { kind: 'text' } }); // bpchar[]
BY_OID.set(199, { kind: 'array', element: { kind: 'jsonb' } }); // json[]

/**
 * The Sluice type a client-declared parameter OID means; `unknown` for 0, `unknown` (705) and
 * OIDs Sluice does not know (their values are then read as text).
 */
export function typeFromOid(oid: number): DataType {
  return BY_OID.get(oid) ?? { kind: 'unknown' };
}

/** Whether `oid` is one Sluice can read parameters of in binary format. */
export function isKnownOid(oid: number): boolean {
  return BY_OID.has(oid);
}

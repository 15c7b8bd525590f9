/**
 * PostgreSQL type OIDs, lengths and type modifiers for Sluice's SQL types, as `RowDescription`,
 * `ParameterDescription` and `Parse` carry them; derived from the catalog's type table
 * (runtime/catalog/system) so pg_type and the wire agree.
 */
import type { DataType } from '../../runtime/types/datatype.js';
import { KIND_OID, PG_TYPES, pgTypeOid, typmod } from '../../runtime/catalog/system/index.js';

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
export const typeOid = pgTypeOid;

/** `pg_type.typlen` of the reported type. */
export function typeLength(t: DataType): number {
  if (t.kind === 'array') return -1;
  return PG_TYPES.find((p) => p[0] === pgTypeOid(t))?.[2] ?? -1;
}

export const typeModifier = typmod;

const BY_OID = new Map<number, DataType>();
for (const [kind, oid] of Object.entries(KIND_OID)) {
  if (kind === 'struct' || kind === 'unknown') continue;
  const t = { kind } as DataType;
  BY_OID.set(oid, t);
  const arrayOid = PG_TYPES.find((p) => p[0] === oid)?.[5];
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

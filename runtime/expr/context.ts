import type { Catalog } from '../catalog/catalog.js';

/** What scalar evaluation may read besides its arguments. */
export interface EvalContext {
  /** Session time zone (IANA name or fixed offset like `+08:00`), for timestamptz I/O. */
  timeZone: string;
  /** Microseconds since epoch at statement start: `now()`, `current_timestamp`. */
  statementTime: bigint;
  /** The database's catalog, for catalog functions (`pg_table_is_visible`, `'t'::regclass`). */
  catalog?: Catalog;
  /** The session's settings, for `current_setting(name)`. */
  settings?: { timeZone: string; vars: Map<string, string> };
}

export function defaultEvalContext(): EvalContext {
  return { timeZone: 'UTC', statementTime: BigInt(Date.now()) * 1000n };
}

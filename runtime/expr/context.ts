/** What scalar evaluation may read besides its arguments. */
export interface EvalContext {
  /** Session time zone (IANA name or fixed offset like `+08:00`), for timestamptz I/O. */
  timeZone: string;
  /** Microseconds since epoch at statement start: `now()`, `current_timestamp`. */
  statementTime: bigint;
}

export function defaultEvalContext(): EvalContext {
  return { timeZone: 'UTC', statementTime: BigInt(Date.now()) * 1000n };
}

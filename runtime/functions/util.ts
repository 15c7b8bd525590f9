/**
 * Small helpers shared by the built-in function families: integer range checks, code-point
 * string handling, and value-to-text rendering for functions that accept any type.
 */
import { SqlError, SqlState } from '../errors.js';
import type { DataType } from '../types/datatype.js';
import type { Value } from '../types/value.js';
import { formatValue } from '../types/format.js';

export const INT2_MIN = -32768;
export const INT2_MAX = 32767;
export const INT4_MIN = -2147483648;
export const INT4_MAX = 2147483647;
export const INT8_MIN = -9223372036854775808n;
export const INT8_MAX = 9223372036854775807n;

export function outOfRange(typeName: string): SqlError {
  return new SqlError(SqlState.numericValueOutOfRange, `${typeName} out of range`);
}

export function checkInt2(n: number): number {
  if (n < INT2_MIN || n > INT2_MAX || Number.isNaN(n)) throw outOfRange('smallint');
  return n;
}

export function checkInt4(n: number): number {
  if (n < INT4_MIN || n > INT4_MAX || Number.isNaN(n)) throw outOfRange('integer');
  return n;
}

export function checkInt8(n: bigint): bigint {
  if (n < INT8_MIN || n > INT8_MAX) throw outOfRange('bigint');
  return n;
}

/** Range-checks an integer result of the given integer type. */
export function checkInt(kind: 'int2' | 'int4' | 'int8', v: number | bigint): number | bigint {
  if (kind === 'int8') return checkInt8(BigInt(v));
  return kind === 'int2' ? checkInt2(Number(v)) : checkInt4(Number(v));
}

export function invalidParam(message: string): SqlError {
  return new SqlError(SqlState.invalidParameterValue, message);
}

const surrogate = /[\uD800-\uDFFF]/;

/** Whether string indices equal code-point indices (no astral characters). */
export function isBmp(s: string): boolean {
  return !surrogate.test(s);
}

/** The string's code points (characters as PostgreSQL counts them). */
export function codePoints(s: string): string[] {
  return isBmp(s) ? s.split('') : Array.from(s);
}

export function charLength(s: string): number {
  if (isBmp(s)) return s.length;
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** UTF-8 byte length. */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

export function utf8Encode(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

export function utf8Decode(b: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(b);
  } catch {
    throw new SqlError('22021', 'invalid byte sequence for encoding "UTF8"');
  }
}

/** The value's text output (as a cast to text would give). */
export function textOf(v: Value, t: DataType, ctx?: { timeZone: string }): string {
  if (typeof v === 'string') return v;
  return formatValue(v, t, { timeZone: ctx?.timeZone ?? 'UTC' });
}

/** Signed 32-bit/64-bit view of an integer argument as bigint. */
export function toBig(v: Value): bigint {
  return typeof v === 'bigint' ? v : BigInt(v as number);
}

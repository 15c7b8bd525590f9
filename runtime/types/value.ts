/**
 * JavaScript representation of SQL values. The static type of every value is known from the
 * plan, so values carry no type tag:
 *
 * | SQL type            | JS value                                              |
 * | ------------------- | ----------------------------------------------------- |
 * | any, NULL           | `null`                                                |
 * | boolean             | `boolean`                                             |
 * | smallint, integer   | `number` (integral)                                   |
 * | bigint              | `bigint`                                              |
 * | real, double        | `number`                                              |
 * | numeric             | `Decimal` (exact; see numeric.ts)                     |
 * | varchar, text       | `string`                                              |
 * | date                | `number`: days since 1970-01-01                       |
 * | time                | `bigint`: microseconds since midnight                 |
 * | timestamp           | `bigint`: microseconds since 1970-01-01 00:00:00      |
 * | timestamptz         | `bigint`: microseconds since 1970-01-01 00:00:00 UTC  |
 * | interval            | `Interval` (months, days, micros)                     |
 * | jsonb               | `Jsonb` (parsed JSON, see jsonb.ts)                   |
 * | bytea               | `Uint8Array`                                          |
 * | T[]                 | `Value[]` (one-dimensional; NULL elements allowed)    |
 * | struct<...>         | `StructValue` (array of field values)                 |
 */
import type { Decimal } from './numeric.js';
import type { Interval } from './interval.js';
import type { Jsonb } from './jsonb.js';

export type Value =
  | null
  | boolean
  | number
  | bigint
  | string
  | Decimal
  | Interval
  | Jsonb
  | Uint8Array
  | Value[]
  | StructValue;

/** A struct (row) value: its fields in declaration order. */
export class StructValue {
  constructor(readonly fields: Value[]) {}
}

export type Row = Value[];

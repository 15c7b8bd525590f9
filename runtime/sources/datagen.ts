/**
 * The datagen generator: rows of one table whose columns are each filled by a field generator,
 * configured as RisingWave's `datagen` connector configures them, `fields.<column>.<parameter>`:
 *
 * - `kind = 'sequence'` (numbers only): `start` (default 0) up to `end` (default 32767), one
 *   step per row. A sequence ends the stream: once any sequence field is exhausted, the
 *   generator is done (the row that would overflow it is not produced).
 * - `kind = 'random'` (the default): numbers uniform in [`min`, `max`] (defaults 0 and 32767;
 *   integers inclusive), booleans, strings of `length` (default 10) letters and digits, and
 *   timestamps up to `max_past` (an interval, default 1 day) before a base time: `basetime`
 *   (default: the wall clock when the generator is made), or with `max_past_mode = 'relative'`
 *   the wall clock at each row.
 * - A struct column's fields are configured as `fields.<column>.<field>.<parameter>`; an
 *   array column has `fields.<column>.length` elements (default 3), each configured as
 *   `fields.<column>._.<parameter>` (a sequence element advances once per element).
 *
 * A random field draws from a random generator keyed by its `seed` (default 0), its column
 * path and the row number, so row `k` is a pure function of the options and `k`, and starting
 * at offset `k` yields exactly what skipping `k` rows would. (Keying by the column path keeps
 * two columns with the same settings from holding equal values.)
 *
 * Table options: `datagen.rows.per.second` (default 10) is the rate the rows are read at;
 * `datagen.split.num` is accepted and has no effect (rows come from one split).
 * Parameters that do not apply to a field's kind (a `start` on a random field) are accepted
 * and ignored, as RisingWave does; unknown parameters and fields of unknown columns are errors.
 */
import type { DataType } from '../types/datatype.js';
import { typeName } from '../types/datatype.js';
import { Decimal } from '../types/numeric.js';
import { parseValue } from '../types/parse.js';
import { parseInterval } from '../types/interval.js';
import { StructValue, type Row, type Value } from '../types/value.js';
import {
  GeneratorOptionError,
  OptionReader,
  Rng,
  quoteIdent,
  type EventGenerator,
  type GeneratedBatch,
  type GeneratedTable,
  type GeneratorOptions,
  type GeneratorStart,
  startOffset,
} from './generator.js';

/** A column the generator fills. */
export interface DatagenColumn {
  name: string;
  type: DataType;
}

/** Parameters a field may carry (any of them on any field; those of other kinds are ignored). */
const FIELD_PARAMETERS = [
  'kind',
  'start',
  'end',
  'min',
  'max',
  'seed',
  'length',
  'max_past',
  'max_past_mode',
  'basetime',
];

const ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const DAY_MICROS = 86_400_000_000;

interface FieldGen {
  /** How many rows (or array elements) the field can fill; Infinity unless a sequence bounds it. */
  readonly limit: number;
  /** The value of row (or element) `k`, for `k < limit`. */
  value(k: number): Value;
}

/** FNV-1a of a column path: mixed into a field's seed so each column draws its own numbers. */
function pathHash(path: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < path.length; i++) h = Math.imul(h ^ path.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export class DatagenGenerator implements EventGenerator {
  readonly tables: readonly GeneratedTable[];
  /** `datagen.rows.per.second`. */
  readonly rowsPerSecond: number;
  /** Rows the stream holds in all: Infinity unless a sequence field bounds it. */
  readonly limit: number;
  private readonly fields: FieldGen[];
  private position: number;

  constructor(
    table: string,
    columns: readonly DatagenColumn[],
    options: GeneratorOptions = {},
    start: GeneratorStart = {},
  ) {
    const o = new OptionReader(options, 'datagen');
    this.rowsPerSecond = o.int('datagen.rows.per.second', 10, 1);
    o.int('datagen.split.num', 1, 1);
    const now = start.now ?? Date.now;
    this.fields = columns.map((c) => fieldGen(c.name, c.type, o, now));
    o.finish();
    this.limit = Math.min(Infinity, ...this.fields.map((f) => f.limit));
    this.tables = [
      {
        name: table,
        columns: columns.map((c) => c.name),
        ddl: `CREATE TABLE ${quoteIdent(table)} (\n${columns
          .map((c) => `    ${quoteIdent(c.name)} ${typeName(c.type)}`)
          .join(',\n')}\n)`,
      },
    ];
    this.position = startOffset(start);
  }

  get offset(): number {
    return this.position;
  }

  get done(): boolean {
    return this.position >= this.limit;
  }

  next(n: number): GeneratedBatch[] {
    const end = Math.min(this.position + Math.max(0, n), Math.max(this.limit, this.position));
    const rows: Row[] = [];
    for (let k = this.position; k < end; k++) rows.push(this.fields.map((f) => f.value(k)));
    this.position = Math.max(this.position, end);
    return rows.length > 0 ? [{ table: this.tables[0]!.name, rows }] : [];
  }
}

/** The generator of one field (`path` is the column, or `column.field`, `column._`). */
function fieldGen(path: string, type: DataType, o: OptionReader, now: () => number): FieldGen {
  const key = (p: string): string => `fields.${path}.${p}`;
  const kind = o.string(key('kind'), 'random').trim().toLowerCase();
  const seed = o.int(key('seed'), 0, 0, 0xffffffff);
  // Everything a field may carry counts as read; what its kind uses is read below.
  o.ignore(...FIELD_PARAMETERS.map(key));
  if (kind !== 'random' && kind !== 'sequence')
    throw new GeneratorOptionError(
      `datagen option ${key('kind')} must be 'random' or 'sequence', got ${JSON.stringify(kind)}`,
    );
  const rng = new Rng();
  const mixed = (seed ^ pathHash(path)) >>> 0;
  const draw = (k: number): Rng => {
    rng.reset(mixed, k);
    return rng;
  };
  const typed = (p: string, fallback: string): Value => {
    const text = o.string(key(p), fallback).trim();
    try {
      return parseValue(text, type, { timeZone: 'UTC' });
    } catch (e) {
      throw new GeneratorOptionError(
        `datagen option ${key(p)}: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  };
  const unsupported = (): GeneratorOptionError =>
    new GeneratorOptionError(
      `datagen cannot generate ${kind} values of type ${typeName(type)} (column path "${path}")`,
      '0A000',
    );
  switch (type.kind) {
    case 'int2':
    case 'int4':
    case 'int8':
    case 'float4':
    case 'float8':
    case 'numeric':
      return kind === 'sequence'
        ? sequenceGen(key, type, typed('start', '0'), typed('end', '32767'))
        : randomNumberGen(key, type, typed('min', '0'), typed('max', '32767'), draw);
    case 'boolean':
      if (kind === 'sequence') throw unsupported();
      return { limit: Infinity, value: (k) => draw(k).int(2) === 1 };
    case 'varchar':
    case 'text': {
      if (kind === 'sequence') throw unsupported();
      const length = o.int(key('length'), 10, 0, 1 << 20);
      if (type.kind === 'varchar' && type.length !== undefined && length > type.length)
        throw new GeneratorOptionError(
          `datagen option ${key('length')} is ${length}, longer than the column's ${typeName(type)}`,
        );
      return {
        limit: Infinity,
        value: (k) => {
          const r = draw(k);
          let s = '';
          for (let i = 0; i < length; i++) s += ALPHANUMERIC[r.int(ALPHANUMERIC.length)]!;
          return s;
        },
      };
    }
    case 'timestamp':
    case 'timestamptz': {
      if (kind === 'sequence') throw unsupported();
      const pastText = o.string(key('max_past'), '1 day');
      let maxPast: number;
      try {
        const iv = parseInterval(pastText);
        maxPast = (iv.months * 30 + iv.days) * DAY_MICROS + Number(iv.micros);
      } catch (e) {
        throw new GeneratorOptionError(
          `datagen option ${key('max_past')}: ${e instanceof Error ? e.message : String(e)}`,
        );
      }
      if (!(maxPast >= 0))
        throw new GeneratorOptionError(`datagen option ${key('max_past')} must not be negative`);
      const mode = o.string(key('max_past_mode'), 'absolute').trim().toLowerCase();
      if (mode !== 'absolute' && mode !== 'relative')
        throw new GeneratorOptionError(
          `datagen option ${key('max_past_mode')} must be 'absolute' or 'relative', got ${JSON.stringify(mode)}`,
        );
      const base =
        o.string(key('basetime'), '') !== ''
          ? (typed('basetime', '') as bigint)
          : BigInt(Math.round(now())) * 1000n;
      return {
        limit: Infinity,
        value: (k) => {
          const from = mode === 'relative' ? BigInt(Math.round(now())) * 1000n : base;
          return from - BigInt(draw(k).long(maxPast + 1));
        },
      };
    }
    case 'struct': {
      const fields = type.fields.map((f) => fieldGen(`${path}.${f.name}`, f.type, o, now));
      return {
        limit: Math.min(Infinity, ...fields.map((f) => f.limit)),
        value: (k) => new StructValue(fields.map((f) => f.value(k))),
      };
    }
    case 'array': {
      const length = o.int(key('length'), 3, 0, 1 << 16);
      const element = fieldGen(`${path}._`, type.element, o, now);
      return {
        limit: length === 0 ? Infinity : Math.floor(element.limit / length),
        value: (k) => Array.from({ length }, (_, j) => element.value(k * length + j)),
      };
    }
    default:
      throw new GeneratorOptionError(
        `datagen cannot generate values of type ${typeName(type)} (column path "${path}")`,
        '0A000',
      );
  }
}

/** `start`, `start + 1`, ... up to `end`. */
function sequenceGen(
  key: (p: string) => string,
  type: DataType,
  start: Value,
  end: Value,
): FieldGen {
  const span = Number(minus(end, start));
  if (!(span >= 0))
    throw new GeneratorOptionError(
      `datagen option ${key('start')} must not be greater than ${key('end')}`,
    );
  const limit = Math.floor(span) + 1;
  switch (type.kind) {
    case 'int8':
      return { limit, value: (k) => (start as bigint) + BigInt(k) };
    case 'numeric':
      return { limit, value: (k) => (start as Decimal).add(Decimal.fromBigInt(k)) };
    default:
      return { limit, value: (k) => (start as number) + k };
  }
}

/** Uniform in [min, max]: integers inclusive of `max`, the others below it. */
function randomNumberGen(
  key: (p: string) => string,
  type: DataType,
  min: Value,
  max: Value,
  draw: (k: number) => Rng,
): FieldGen {
  const span = Number(minus(max, min));
  if (!(span >= 0))
    throw new GeneratorOptionError(
      `datagen option ${key('min')} must not be greater than ${key('max')}`,
    );
  switch (type.kind) {
    case 'int8': {
      const lo = min as bigint;
      const n = (max as bigint) - lo + 1n;
      return {
        limit: Infinity,
        value: (k) => {
          const r = draw(k);
          if (n <= 9007199254740992n) return lo + BigInt(r.long(Number(n)));
          const wide = (BigInt(r.u32()) << 32n) | BigInt(r.u32());
          return lo + (wide % n);
        },
      };
    }
    case 'int2':
    case 'int4': {
      const lo = min as number;
      return { limit: Infinity, value: (k) => lo + draw(k).long(span + 1) };
    }
    case 'numeric': {
      const lo = (min as Decimal).toNumber();
      return {
        limit: Infinity,
        value: (k) =>
          Decimal.fromNumber(lo + draw(k).double() * span).withTypmod(type.precision, type.scale),
      };
    }
    default: {
      const lo = min as number;
      return {
        limit: Infinity,
        value: (k) => {
          const v = lo + draw(k).double() * span;
          return type.kind === 'float4' ? Math.fround(v) : v;
        },
      };
    }
  }
}

/** `a - b` of two parsed numbers of one type, as a JS number or bigint. */
function minus(a: Value, b: Value): number | bigint {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a - b;
  if (a instanceof Decimal && b instanceof Decimal) return a.sub(b).toNumber();
  return (a as number) - (b as number);
}

/**
 * Source connectors: what `WITH (connector = ...)` makes of a `CREATE SOURCE` or a
 * `CREATE TABLE` — a reader of the relation's rows from one of the built-in generators
 * (runtime/sources), resumable at any offset.
 *
 * - `nexmark`: the Nexmark auction stream. Without `nexmark.table.type` each event is one row
 *   of `event_type` (0 person, 1 auction, 2 bid) and the structs `person`, `auction`, `bid`
 *   (the event's own one set, the other two NULL); with `nexmark.table.type` = Person, Auction
 *   or Bid, rows are that table's (events of the other kinds still count in the offset).
 *   Declared columns are matched to these by name (struct fields too, in any order and any
 *   subset), and converted to the declared types where they differ; without a column list the
 *   relation gets them all. Events are read at one per `nexmark.min.event.gap.in.ns` of wall
 *   time (as fast as batches go with a gap of 0), at most `nexmark.max.chunk.size` per batch.
 * - `datagen`: every declared column is generated as `fields.<column>.*` says
 *   (runtime/sources/datagen.ts), `datagen.rows.per.second` rows a second.
 *
 * Generated columns (`c T AS expr`) are computed from the row after the connector fills it,
 * in the time zone the relation was created in. The offset counts events (nexmark) or rows
 * (datagen) read so far; event `k` depends only on the options and `k`, so a reader moved to
 * offset `k` continues exactly where one that read `k` events left off.
 */
import type * as A from '../sql/ast.js';
import type { DataType } from '../types/datatype.js';
import { T, typeName, typesEqual } from '../types/datatype.js';
import { canCast, castValue } from '../types/cast.js';
import { StructValue, type Row, type Value } from '../types/value.js';
import type { Catalog, ColumnDesc, RelationDesc } from '../catalog/catalog.js';
import type { EvalContext } from '../expr/context.js';
import type { ExecEnv } from '../expr/env.js';
import { compiled } from '../expr/eval.js';
import { SqlError, SqlState } from '../errors.js';
import { Binder } from '../binder/binder.js';
import { Scope } from '../binder/scope.js';
import {
  DatagenGenerator,
  GeneratorOptionError,
  NEXMARK_TABLES,
  NexmarkGenerator,
  type EventGenerator,
  type GeneratorOptions,
} from '../sources/index.js';
import { checkRow } from './dml.js';

export const CONNECTORS = ['nexmark', 'datagen'] as const;
export type ConnectorName = (typeof CONNECTORS)[number];

/** A `WITH (...)` clause read as text options, with its connector. */
export interface ConnectorSpec {
  name: ConnectorName;
  options: Record<string, string>;
}

/** The text of one `WITH` option's value (a literal or a bare word). */
function optionText(key: string, e: A.Expr): string {
  switch (e.kind) {
    case 'literal':
      if (e.value.kind === 'string') return e.value.value;
      if (e.value.kind === 'number') return e.value.text;
      if (e.value.kind === 'boolean') return e.value.value ? 'true' : 'false';
      break;
    case 'identifier':
      return e.parts.map((p) => p.value).join('.');
    case 'unary':
      if (e.op === '-' && e.operand.kind === 'literal' && e.operand.value.kind === 'number')
        return `-${e.operand.value.text}`;
      break;
    default:
      break;
  }
  throw new SqlError(
    SqlState.invalidParameterValue,
    `option ${key} must be a string, number or boolean literal`,
    e.pos,
  );
}

/**
 * The connector a `WITH` clause names, or undefined when it names none. An unknown connector
 * is 0A000; options are checked when the connector is made (`createConnector`).
 */
export function connectorSpec(
  withOptions: A.SqlOption[],
  format?: A.FormatEncode,
): ConnectorSpec | undefined {
  const options: Record<string, string> = {};
  let connectorPos: number | undefined;
  for (const o of withOptions) {
    const key = o.name.map((p) => p.value).join('.');
    if (key in options)
      throw new SqlError(
        SqlState.invalidParameterValue,
        `option ${key} is given more than once`,
        o.value.pos,
      );
    options[key] = optionText(key, o.value);
    if (key === 'connector') connectorPos = o.value.pos;
  }
  const raw = options.connector;
  if (raw === undefined) return undefined;
  const name = raw.trim().toLowerCase();
  if (!(CONNECTORS as readonly string[]).includes(name))
    throw new SqlError(
      SqlState.featureNotSupported,
      `connector "${raw}" is not supported: the built-in connectors are ${CONNECTORS.join(' and ')}`,
      connectorPos,
    );
  // The generators produce rows, not messages: only the plain JSON format RisingWave's
  // datagen documentation writes fits them.
  if (format && !(format.format === 'PLAIN' && format.encode === 'JSON'))
    throw new SqlError(
      SqlState.featureNotSupported,
      `FORMAT ${format.format} ENCODE ${format.encode} is not supported for the ${name} connector (only FORMAT PLAIN ENCODE JSON)`,
    );
  delete options.connector;
  return { name: name as ConnectorName, options };
}

/** The type of each Nexmark table column, by name. */
function nexmarkColumnType(column: string): DataType {
  if (column === 'date_time' || column === 'expires') return T.timestamp;
  if (
    ['id', 'initial_bid', 'reserve', 'seller', 'category', 'auction', 'bidder', 'price'].includes(
      column,
    )
  )
    return T.int8;
  return T.varchar;
}

const NEXMARK_KINDS = ['person', 'auction', 'bid'] as const;

/** A Nexmark table's row type. */
function nexmarkStruct(table: string): DataType {
  const t = NEXMARK_TABLES.find((x) => x.name === table)!;
  return {
    kind: 'struct',
    fields: t.columns.map((c) => ({ name: c, type: nexmarkColumnType(c) })),
  };
}

/** The `nexmark.table.type` option, lower-cased (null: every event as one row). */
function nexmarkTableType(spec: ConnectorSpec): string | null {
  const t = spec.options['nexmark.table.type']?.trim().toLowerCase();
  return t === undefined || t === '' ? null : t;
}

/** What a connector produces, by column: the schema declared columns are matched against. */
function producedColumns(spec: ConnectorSpec): { name: string; type: DataType }[] | null {
  if (spec.name !== 'nexmark') return null;
  const table = nexmarkTableType(spec);
  if (table === null)
    return [
      { name: 'event_type', type: T.int8 },
      ...NEXMARK_KINDS.map((k) => ({ name: k, type: nexmarkStruct(k) })),
    ];
  const t = NEXMARK_TABLES.find((x) => x.name === table);
  // An unknown table type is reported with the other options, when the generator is made.
  return t ? t.columns.map((c) => ({ name: c, type: nexmarkColumnType(c) })) : [];
}

/**
 * The columns a relation over `spec` gets when its statement lists none (nexmark: everything
 * the connector produces). A datagen relation needs its columns spelled out.
 */
export function defaultConnectorColumns(spec: ConnectorSpec): ColumnDesc[] {
  const produced = producedColumns(spec);
  if (!produced || produced.length === 0)
    throw new SqlError(
      SqlState.invalidTableDefinition,
      `a relation with the ${spec.name} connector needs a column list`,
    );
  return produced.map((c) => ({ name: c.name, type: c.type, notNull: false }));
}

type Convert = (v: Value) => Value;
const IDENTITY: Convert = (v) => v;

/** Converts a produced value of type `from` to the declared type `to`, or fails at once. */
function converter(from: DataType, to: DataType, what: string, connector: string): Convert {
  if (from.kind === 'struct' && to.kind === 'struct') {
    const parts = to.fields.map((f) => {
      const i = from.fields.findIndex((g) => g.name === f.name);
      if (i < 0)
        throw new SqlError(
          SqlState.undefinedColumn,
          `field "${f.name}" of column ${what} is not produced by the ${connector} connector (it produces ${from.fields.map((g) => g.name).join(', ')})`,
        );
      return {
        i,
        convert: converter(from.fields[i]!.type, f.type, `${what}.${f.name}`, connector),
      };
    });
    if (
      parts.length === from.fields.length &&
      parts.every((p, j) => p.i === j && p.convert === IDENTITY)
    )
      return IDENTITY;
    return (v) =>
      v === null
        ? null
        : new StructValue(parts.map((p) => p.convert((v as StructValue).fields[p.i] ?? null)));
  }
  if (typesEqual(from, to)) return IDENTITY;
  const how = canCast(from, to);
  if (how === 'implicit' || how === 'assignment')
    return (v) => castValue(v, from, to, { timeZone: 'UTC' }, 'assignment');
  throw new SqlError(
    SqlState.datatypeMismatch,
    `column ${what} is of type ${typeName(to)} but the ${connector} connector produces ${typeName(from)}`,
  );
}

/** A generator error as the SQL error it stands for. */
function optionError(e: unknown): unknown {
  return e instanceof GeneratorOptionError ? new SqlError(e.code, e.message) : e;
}

function positiveInt(spec: ConnectorSpec, key: string, fallback: number): number {
  const raw = spec.options[key];
  if (raw === undefined) return fallback;
  const n = Number(raw.trim());
  if (!Number.isSafeInteger(n) || n < 1)
    throw new SqlError(
      SqlState.invalidParameterValue,
      `${spec.name} option ${key} must be a positive integer, got ${JSON.stringify(raw)}`,
    );
  return n;
}

/** Rows of a batch at most, whatever the connector's rate. */
export const DEFAULT_BATCH_ROWS = 1024;

/**
 * A relation's reader over its connector: `read(n)` yields the relation's next rows (whole,
 * generated columns computed) and moves the offset on; `seek(k)` moves it to event `k`.
 */
export class SourceConnector {
  private gen: EventGenerator;

  constructor(
    readonly relationId: number,
    readonly relation: string,
    readonly connector: ConnectorName,
    /** Events (rows) per second of wall time to read at; Infinity: as fast as batches go. */
    readonly rate: number,
    /** Events per batch at most. */
    readonly maxBatch: number,
    private readonly make: (offset: number) => EventGenerator,
    /** A generated row of `table` as the relation's row (generated columns still to come). */
    private readonly assemble: (table: string, row: Row) => Row,
    private readonly finish: (row: Row, env: ExecEnv) => void,
    private readonly timeZone: string,
  ) {
    this.gen = make(0);
  }

  /** Events read so far. */
  get offset(): number {
    return this.gen.offset;
  }

  /** Whether the connector has nothing more to read (a bounded stream ended). */
  get done(): boolean {
    return this.gen.done;
  }

  /** Continues at event `offset` (what a reader that had read `offset` events reads next). */
  seek(offset: number): void {
    if (offset !== this.gen.offset) this.gen = this.make(offset);
  }

  /**
   * The relation's rows of the next `n` events (fewer once a bounded stream ends; a Nexmark
   * table type skips the other kinds' events). Throws, with the offset moved on, when a
   * generated column fails: the caller moves it back.
   */
  read(n: number, env: ExecEnv): Row[] {
    const e =
      env.ctx.timeZone === this.timeZone
        ? env
        : { ...env, ctx: { ...env.ctx, timeZone: this.timeZone } };
    const out: Row[] = [];
    for (const b of this.gen.next(n))
      for (const r of b.rows) {
        const row = this.assemble(b.table, r);
        this.finish(row, e);
        out.push(row);
      }
    return out;
  }
}

/**
 * Makes `rel`'s connector (its columns are final; `rel` need not be in the catalog yet).
 * Bad options are 22023 (or 0A000 for what a generator cannot do), naming the option;
 * columns the connector does not produce are 42703, types it cannot convert to 42804.
 */
export function createConnector(
  rel: RelationDesc,
  spec: ConnectorSpec,
  catalog: Catalog,
  ctx: EvalContext,
): SourceConnector {
  const filled = rel.columns.flatMap((c, i) => (c.generated ? [] : [i]));
  let make: (offset: number) => EventGenerator;
  let assemble: (table: string, row: Row) => Row;
  let rate: number;
  let maxBatch = DEFAULT_BATCH_ROWS;
  const width = rel.columns.length;
  try {
    if (spec.name === 'nexmark') {
      const options: GeneratorOptions = spec.options;
      const probe = new NexmarkGenerator(options);
      const gap = probe.config.gapNs;
      rate = gap > 0 ? 1e9 / gap : Infinity;
      maxBatch = positiveInt(spec, 'nexmark.max.chunk.size', DEFAULT_BATCH_ROWS);
      make = (offset) => new NexmarkGenerator(options, { offset });
      const produced = producedColumns(spec)!;
      const plan = filled.map((i) => {
        const col = rel.columns[i]!;
        const k = produced.findIndex((p) => p.name === col.name);
        if (k < 0)
          throw new SqlError(
            SqlState.undefinedColumn,
            `column "${col.name}" is not produced by the nexmark connector (it produces ${produced.map((p) => p.name).join(', ')})`,
          );
        return {
          i,
          k,
          convert: converter(produced[k]!.type, col.type, `"${col.name}"`, 'nexmark'),
        };
      });
      const place = (values: Row): Row => {
        const row: Row = new Array<Value>(width).fill(null);
        for (const p of plan) row[p.i] = p.convert(values[p.k] ?? null);
        return row;
      };
      if (nexmarkTableType(spec) === null) {
        const kinds = new Map(NEXMARK_KINDS.map((k, j) => [k as string, j]));
        assemble = (table, r) => {
          const j = kinds.get(table)!;
          const values: Row = [BigInt(j), null, null, null];
          values[j + 1] = new StructValue(r);
          return place(values);
        };
      } else assemble = (_table, r) => place(r);
    } else {
      const columns = filled.map((i) => ({
        name: rel.columns[i]!.name,
        type: rel.columns[i]!.type,
      }));
      rate = new DatagenGenerator(rel.name, columns, spec.options).rowsPerSecond;
      make = (offset) => new DatagenGenerator(rel.name, columns, spec.options, { offset });
      assemble = (_table, r) => {
        const row: Row = new Array<Value>(width).fill(null);
        filled.forEach((i, j) => (row[i] = r[j] ?? null));
        return row;
      };
    }
  } catch (e) {
    throw optionError(e);
  }
  const binder = new Binder(catalog, ctx);
  const scope = new Scope(
    rel.columns.map((c) => ({ qualifier: rel.name, name: c.name, type: c.type, hidden: c.hidden })),
  );
  const generated = rel.columns.flatMap((c, i) => {
    if (!c.generated) return [];
    const bound = binder.exprs.bind(
      c.generated,
      binder.plainContext(scope, 'generation expression'),
    );
    return [{ i, eval: compiled(binder.exprs.coerce(bound, c.type, 'assignment')) }];
  });
  const finish = (row: Row, env: ExecEnv): void => {
    for (const g of generated) row[g.i] = g.eval(row, env);
    checkRow(rel, row);
  };
  return new SourceConnector(
    rel.id,
    rel.name,
    spec.name,
    rate,
    maxBatch,
    make,
    assemble,
    finish,
    ctx.timeZone,
  );
}

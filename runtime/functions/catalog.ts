/**
 * System catalog information functions (`pg_table_is_visible`, `format_type`, `pg_get_indexdef`,
 * `pg_get_userbyid`, privileges, descriptions, ...) that clients such as psql call in their own
 * introspection queries, and the object-identifier conversions that casts to `regclass` and
 * `regtype` parse into (`pg_catalog.regclass(x)`, `regclassout(x)`, ...). Object identifiers are
 * bigint. Functions that read the catalog take it from the evaluation context and are volatile,
 * so they are never folded at bind time.
 */
import type { Catalog, RelationDesc } from '../catalog/catalog.js';
import {
  NAMESPACE,
  PG_TYPES,
  constraintOid,
  formatPgType,
  indexOid,
  pgTypeOid,
  relationByOid,
  relationOid,
  systemRelation,
} from '../catalog/system/index.js';
import { SqlError, SqlState } from '../errors.js';
import type { EvalContext } from '../expr/context.js';
import type { ResolvedScalar, ScalarFunction } from '../expr/registry.js';
import { parseDataType } from '../sql/parser.js';
import { printQuery } from '../sql/print.js';
import { type DataType, T } from '../types/datatype.js';
import type { Value } from '../types/value.js';
import { scalar } from './overload.js';

const INTEGER_KINDS = new Set(['int2', 'int4', 'int8']);

function catalogOf(ctx: EvalContext): Catalog {
  if (!ctx.catalog) throw new SqlError(SqlState.internalError, 'catalog functions need a database');
  return ctx.catalog;
}

const oidArg = (v: Value): bigint => BigInt(v as number | bigint);

/** Splits a possibly qualified, possibly quoted relation name into its unqualified name. */
function relationNamePart(text: string): string {
  const parts: string[] = [];
  const re = /\s*(?:"((?:[^"]|"")*)"|([^."]+))\s*(?:\.|$)/y;
  let m: RegExpExecArray | null;
  while (re.lastIndex < text.length && (m = re.exec(text)))
    parts.push(m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2]!.trim().toLowerCase());
  if (parts.length === 0 || parts.length > 3 || re.lastIndex < text.length)
    throw new SqlError(SqlState.invalidTextRepresentation, `invalid name syntax`);
  const schema = parts.length > 1 ? parts[parts.length - 2]! : 'public';
  if (!['public', 'pg_catalog', 'information_schema'].includes(schema))
    throw new SqlError(SqlState.invalidSchemaName, `schema "${schema}" does not exist`);
  return parts[parts.length - 1]!;
}

function relationByName(catalog: Catalog, text: string): RelationDesc {
  const name = relationNamePart(text);
  const rel = catalog.get(name);
  if (!rel) throw new SqlError(SqlState.undefinedTable, `relation "${text}" does not exist`);
  return rel;
}

function typeOidByName(text: string): bigint {
  let t: DataType;
  try {
    t = parseDataType(text);
  } catch {
    throw new SqlError(SqlState.undefinedObject, `type "${text}" does not exist`);
  }
  return BigInt(pgTypeOid(t));
}

/** `regclass(x)` / `regtype(x)`: a name (text) or an oid (integer) to an oid. */
function toOid(name: string, lookup: (text: string, ctx: EvalContext) => bigint): ScalarFunction {
  return {
    name,
    resolve(argTypes): ResolvedScalar | undefined {
      const t = argTypes[0];
      if (argTypes.length !== 1 || !t) return undefined;
      if (INTEGER_KINDS.has(t.kind))
        return { argTypes: [T.int8], returnType: T.int8, eval: (a) => a[0]! };
      if (t.kind !== 'unknown' && t.kind !== 'text' && t.kind !== 'varchar') return undefined;
      return {
        argTypes: [T.text],
        returnType: T.int8,
        volatile: true,
        eval: (a, ctx) => lookup(a[0] as string, ctx),
      };
    },
  };
}

/** `regclassout(x)` / `regtypeout(x)`: the name of an object given by oid or name. */
function toName(name: string, ofOid: (oid: bigint, ctx: EvalContext) => string): ScalarFunction {
  const base = toOid(name, () => 0n);
  return {
    name,
    resolve(argTypes): ResolvedScalar | undefined {
      const r = base.resolve(argTypes);
      if (!r) return undefined;
      const textArg = r.argTypes[0]!.kind === 'text';
      return {
        argTypes: r.argTypes,
        returnType: T.text,
        volatile: true,
        eval: (a, ctx) =>
          ofOid(textArg ? regclassLike(name, a[0] as string, ctx) : oidArg(a[0]!), ctx),
      };
    },
  };
}

function namespaceOidByName(text: string): bigint {
  const name = /^".*"$/.test(text) ? text.slice(1, -1) : text.toLowerCase();
  const oid = (NAMESPACE as Record<string, number>)[name];
  if (oid === undefined)
    throw new SqlError(SqlState.invalidSchemaName, `schema "${text}" does not exist`);
  return BigInt(oid);
}

function roleOidByName(text: string): bigint {
  if (text !== 'root')
    throw new SqlError(SqlState.undefinedObject, `role "${text}" does not exist`);
  return 10n;
}

/** The oid a name denotes, for each object-identifier type (`regclass` → relations, ...). */
const OID_BY_NAME: Record<string, (text: string, ctx: EvalContext) => bigint> = {
  regclass: (text, ctx) => BigInt(relationOid(relationByName(catalogOf(ctx), text))),
  regtype: typeOidByName,
  regnamespace: namespaceOidByName,
  regrole: roleOidByName,
  // Built-in functions have no pg_proc rows.
  regproc: (text) => {
    throw new SqlError(SqlState.undefinedFunction, `function "${text}" does not exist`);
  },
};

function regclassLike(fn: string, text: string, ctx: EvalContext): bigint {
  return OID_BY_NAME[fn.replace(/out$/, '')]!(text, ctx);
}

function formatTypeText(oid: bigint, typmod: number | null): string {
  return formatPgType(Number(oid), typmod ?? -1) ?? '???';
}

const trueFor = (name: string): ScalarFunction => ({
  name,
  resolve: (argTypes) =>
    argTypes.length >= 1 && argTypes.length <= 3
      ? {
          argTypes: argTypes.map((t) => (t.kind === 'unknown' ? T.text : t)),
          returnType: T.boolean,
          // Every user holds every privilege: Sluice has no access control yet.
          eval: () => true,
        }
      : undefined,
});

const nullFor = (name: string, ret: DataType, arities: number[]): ScalarFunction => ({
  name,
  resolve: (argTypes) =>
    arities.includes(argTypes.length)
      ? {
          argTypes: argTypes.map((t) => (t.kind === 'unknown' ? T.text : t)),
          returnType: ret,
          strict: false,
          eval: () => null,
        }
      : undefined,
});

/** Optional trailing arguments (pretty-print flags, column numbers) are accepted and ignored. */
function withOptional(
  name: string,
  head: DataType[],
  optional: DataType[],
  ret: DataType,
  evalFn: (a: Value[], ctx: EvalContext) => Value,
): ScalarFunction {
  return scalar(
    name,
    Array.from({ length: optional.length + 1 }, (_, i) => ({
      args: [...head, ...optional.slice(0, i)],
      ret,
      volatile: true,
      eval: evalFn,
    })),
  );
}

function quoteIdentIfNeeded(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

function keyColumns(r: RelationDesc): string {
  return r.primaryKey.map((k) => quoteIdentIfNeeded(r.columns[k]!.name)).join(', ');
}

/** The relation whose primary-key index or constraint has `oid`, given the oid's offset. */
function relationOfDerivedOid(
  catalog: Catalog,
  oid: bigint,
  derive: (r: RelationDesc) => number,
): RelationDesc | undefined {
  for (const r of catalog.relations.values())
    if (r.primaryKey.length > 0 && BigInt(derive(r)) === oid) return r;
  return undefined;
}

/** `current_setting(name [, missing_ok])`: a setting as `pg_settings` and SHOW report it. */
function currentSetting(a: Value[], ctx: EvalContext): Value {
  const name = (a[0] as string).toLowerCase();
  const settings = ctx.settings ?? { timeZone: ctx.timeZone, vars: new Map<string, string>() };
  const rel = systemRelation('pg_catalog', 'pg_settings')!;
  const row = rel.rows(catalogOf(ctx), settings).find((r) => String(r[0]).toLowerCase() === name);
  if (row) return row[1]!;
  if (a[1] === true) return null;
  throw new SqlError(
    SqlState.undefinedObject,
    `unrecognized configuration parameter "${String(a[0])}"`,
  );
}

export const catalogFunctions: ScalarFunction[] = [
  scalar('current_setting', [
    { args: [T.text], ret: T.text, volatile: true, eval: currentSetting },
    { args: [T.text, T.boolean], ret: T.text, volatile: true, eval: currentSetting },
  ]),
  ...Object.entries(OID_BY_NAME).map(([name, lookup]) => toOid(name, lookup)),
  toName('regclassout', (oid, ctx) => {
    const r = relationByOid(catalogOf(ctx), oid);
    // An oid naming no relation prints as the number, as PostgreSQL's regclass does.
    return r ? quoteIdentIfNeeded(r.name) : String(oid);
  }),
  toName('regtypeout', (oid) => formatTypeText(oid, -1)),
  toName(
    'regnamespaceout',
    (oid) => Object.entries(NAMESPACE).find(([, o]) => BigInt(o) === oid)?.[0] ?? String(oid),
  ),
  toName('regroleout', (oid) => (oid === 10n ? 'root' : String(oid))),
  toName('regprocout', (oid) => (oid === 0n ? '-' : String(oid))),
  withOptional('pg_table_is_visible', [T.int8], [], T.boolean, (a, ctx) => {
    // Every relation lives in public or pg_catalog, both on the search path.
    const catalog = catalogOf(ctx);
    const oid = oidArg(a[0]!);
    return (
      relationByOid(catalog, oid) !== undefined ||
      relationOfDerivedOid(catalog, oid, indexOid) !== undefined
    );
  }),
  ...[
    'pg_function_is_visible',
    'pg_operator_is_visible',
    'pg_opclass_is_visible',
    'pg_collation_is_visible',
  ].map((name) => scalar(name, [{ args: [T.int8], ret: T.boolean, eval: () => true }])),
  scalar('pg_type_is_visible', [
    {
      args: [T.int8],
      ret: T.boolean,
      eval: (a) => PG_TYPES.some((t) => BigInt(t[0]) === a[0] || BigInt(t[5]) === a[0]),
    },
  ]),
  scalar('format_type', [
    {
      args: [T.int8, T.int4],
      ret: T.text,
      strict: false,
      eval: (a) =>
        a[0] === null || a[0] === undefined
          ? null
          : formatTypeText(oidArg(a[0]), (a[1] ?? null) as number | null),
    },
  ]),
  scalar('pg_get_userbyid', [
    {
      args: [T.int8],
      ret: T.text,
      // Oid 10 is the bootstrap superuser, which every object belongs to.
      eval: (a) => (a[0] === 10n ? 'root' : `unknown (OID=${String(a[0])})`),
    },
  ]),
  scalar('pg_encoding_to_char', [
    { args: [T.int4], ret: T.text, eval: (a) => (a[0] === 6 ? 'UTF8' : '') },
  ]),
  scalar('pg_get_expr', [
    // Expressions are stored as their SQL text already.
    { args: [T.text, T.int8], ret: T.text, eval: (a) => a[0]! },
    { args: [T.text, T.int8, T.boolean], ret: T.text, eval: (a) => a[0]! },
  ]),
  withOptional('pg_get_indexdef', [T.int8], [T.int4, T.boolean], T.text, (a, ctx) => {
    const r = relationOfDerivedOid(catalogOf(ctx), oidArg(a[0]!), indexOid);
    if (!r) return null;
    const column = a[1] as number | undefined;
    if (column !== undefined && column > 0) {
      const k = r.primaryKey[column - 1];
      return k === undefined ? '' : quoteIdentIfNeeded(r.columns[k]!.name);
    }
    return `CREATE UNIQUE INDEX ${quoteIdentIfNeeded(`${r.name}_pkey`)} ON public.${quoteIdentIfNeeded(r.name)} USING btree (${keyColumns(r)})`;
  }),
  withOptional('pg_get_constraintdef', [T.int8], [T.boolean], T.text, (a, ctx) => {
    const r = relationOfDerivedOid(catalogOf(ctx), oidArg(a[0]!), constraintOid);
    return r ? `PRIMARY KEY (${keyColumns(r)})` : null;
  }),
  withOptional('pg_get_viewdef', [T.int8], [T.boolean], T.text, (a, ctx) => {
    const r = relationByOid(catalogOf(ctx), oidArg(a[0]!));
    return r?.query ? ` ${printQuery(r.query)};` : null;
  }),
  scalar('pg_relation_is_publishable', [{ args: [T.int8], ret: T.boolean, eval: () => false }]),
  // Table data lives in memory, outside any relation file.
  scalar('pg_database_size', [
    { args: [T.text], ret: T.int8, eval: () => 0n },
    { args: [T.int8], ret: T.int8, eval: () => 0n },
  ]),
  ...['pg_relation_size', 'pg_total_relation_size', 'pg_table_size', 'pg_indexes_size'].map(
    (name) => scalar(name, [{ args: [T.int8], ret: T.int8, eval: () => 0n }]),
  ),
  scalar('pg_size_pretty', [{ args: [T.int8], ret: T.text, eval: (a) => `${String(a[0])} bytes` }]),
  scalar('pg_tablespace_location', [{ args: [T.int8], ret: T.text, eval: () => '' }]),
  nullFor('obj_description', T.text, [1, 2]),
  nullFor('col_description', T.text, [2]),
  nullFor('shobj_description', T.text, [2]),
  nullFor('pg_get_partkeydef', T.text, [1]),
  nullFor('pg_get_ruledef', T.text, [1, 2]),
  nullFor('pg_get_function_result', T.text, [1]),
  nullFor('pg_get_function_arguments', T.text, [1]),
  nullFor('pg_get_function_identity_arguments', T.text, [1]),
  nullFor('pg_get_triggerdef', T.text, [1, 2]),
  nullFor('pg_get_statisticsobjdef_columns', T.text, [1]),
  trueFor('has_table_privilege'),
  trueFor('has_schema_privilege'),
  trueFor('has_database_privilege'),
  trueFor('has_column_privilege'),
  trueFor('has_any_column_privilege'),
];

/** CREATE and DROP of tables, views, functions and indexes. */
import type * as A from '../sql/ast.js';
import { T, typeName } from '../types/datatype.js';
import type { Row, Value } from '../types/value.js';
import type { EvalContext } from '../expr/context.js';
import type { StatementResult, StatementSession } from './session.js';
import type { ColumnDesc, FunctionDesc, RelationDesc } from '../catalog/catalog.js';
import { Catalog, relationKindName } from '../catalog/catalog.js';
import { SqlError, SqlState } from '../errors.js';
import { Binder } from '../binder/binder.js';
import { parseStatements } from '../sql/parser.js';
import { printQuery, printStatement } from '../sql/print.js';
import { makeEnv, runPlan } from './executor.js';
import type { PlanNode } from '../plan/logical.js';
import { StreamGraph } from '../stream/graph.js';
import { explainDataflow } from '../stream/explain.js';
import { StreamPlanner, type PlannedView } from '../stream/planner.js';
import { SourceExecutor } from '../stream/executors/source.js';
import { backfill } from '../stream/backfill.js';
import { decorrelate } from '../plan/rules/index.js';
import { bindWatermark } from './watermark.js';
import {
  CONNECTORS,
  connectorSpec,
  createConnector,
  defaultConnectorColumns,
} from './connector.js';

function checkNewName(session: StatementSession, name: string, pos?: number): void {
  if (session.db.catalog.get(name))
    throw new SqlError(SqlState.duplicateTable, `relation "${name}" already exists`, pos);
}

function option(opts: A.SqlOption[], name: string): A.Expr | undefined {
  return opts.find((o) => o.name.map((p) => p.value).join('.') === name)?.value;
}

/** A `WATERMARK FOR col AS expr` clause, checked: the column exists, the types agree. */
function checkedWatermark(
  clause: { column: A.Ident; expr: A.Expr } | undefined,
  name: string,
  columns: ColumnDesc[],
  catalog: Catalog,
  ctx: EvalContext,
): RelationDesc['watermark'] {
  if (!clause) return undefined;
  const col = clause.column.value;
  if (!columns.some((c) => c.name === col))
    throw new SqlError(
      SqlState.undefinedColumn,
      `column "${col}" does not exist`,
      clause.column.pos,
    );
  const watermark = { column: col, expr: clause.expr };
  bindWatermark(catalog, { name, columns, watermark }, ctx);
  return watermark;
}

export function executeCreateTable(
  session: StatementSession,
  stmt: A.CreateTableStatement,
  sql: string,
  params: Value[],
  ctx: EvalContext,
): StatementResult {
  const name = Catalog.simpleName(stmt.name);
  if (session.db.catalog.get(name)) {
    if (stmt.ifNotExists)
      return { tag: 'CREATE TABLE', notices: [`relation "${name}" already exists, skipping`] };
    checkNewName(session, name, stmt.name[0]?.pos);
  }
  const spec = connectorSpec(stmt.withOptions, stmt.format);
  if (spec && stmt.asQuery)
    throw new SqlError(
      SqlState.featureNotSupported,
      'CREATE TABLE AS cannot have a connector',
      option(stmt.withOptions, 'connector')?.pos,
    );

  let columns: ColumnDesc[];
  let asRows: import('../types/value.js').Row[] | null = null;
  if (spec && stmt.columns.length === 0) columns = defaultConnectorColumns(spec);
  else if (stmt.asQuery) {
    const binder = new Binder(session.db.catalog, ctx);
    const bound = binder.bindQuery(stmt.asQuery, null);
    columns = bound.plan.schema.map((c, i) => ({
      name: stmt.columns[i]?.name.value ?? bound.names[i] ?? c.name,
      type: c.type.kind === 'unknown' ? T.text : c.type,
      notNull: false,
    }));
    asRows = runPlan(bound.plan, makeEnv(session, params, ctx));
  } else {
    columns = stmt.columns.map((c) => ({
      name: c.name.value,
      type: c.dataType,
      notNull: c.notNull === true,
      default: c.default,
      generated: c.generated,
    }));
  }
  const seen = new Set<string>();
  stmt.columns.forEach((c) => {
    if (seen.has(c.name.value))
      throw new SqlError(
        SqlState.duplicateColumn,
        `column "${c.name.value}" specified more than once`,
        c.name.pos,
      );
    seen.add(c.name.value);
  });
  const colPk = stmt.columns.flatMap((c, i) => (c.primaryKey ? [i] : []));
  if (colPk.length > 1 || (colPk.length > 0 && stmt.primaryKey))
    throw new SqlError(
      SqlState.invalidTableDefinition,
      `multiple primary keys for table "${name}" are not allowed`,
    );
  const primaryKey = stmt.primaryKey
    ? stmt.primaryKey.map((id) => {
        const i = columns.findIndex((c) => c.name === id.value);
        if (i < 0)
          throw new SqlError(
            SqlState.undefinedColumn,
            `column "${id.value}" named in key does not exist`,
            id.pos,
          );
        return i;
      })
    : colPk;
  if (stmt.watermark && !stmt.appendOnly)
    throw new SqlError(
      SqlState.featureNotSupported,
      'a table with a WATERMARK must be APPEND ONLY',
      stmt.watermark.column.pos,
    );
  const watermark = checkedWatermark(stmt.watermark, name, columns, session.db.catalog, ctx);
  // Rows of an append-only table are never replaced: only DO NOTHING fits it.
  if (stmt.appendOnly && stmt.onConflict !== undefined && stmt.onConflict !== 'ignore')
    throw new SqlError(
      SqlState.featureNotSupported,
      'an APPEND ONLY table accepts only ON CONFLICT DO NOTHING',
    );
  const catalog = session.db.catalog;
  const rel: RelationDesc = {
    id: catalog.allocateId(),
    kind: 'table',
    name,
    columns,
    primaryKey,
    appendOnly: stmt.appendOnly,
    definition: printStatement(stmt),
    dependsOn: [],
    watermark,
    onConflict: stmt.onConflict ?? 'overwrite',
  };
  if (stmt.appendOnly && primaryKey.length > 0 && stmt.onConflict === undefined)
    rel.onConflict = 'overwrite';
  if (spec) {
    // Made before the table exists, so bad options leave nothing behind.
    session.db.connectors.set(rel.id, createConnector(rel, spec, catalog, ctx));
    rel.connector = spec.name;
  }
  catalog.relations.set(name, rel);
  session.db.createStore(rel.id, columns, primaryKey);
  if (asRows) for (const r of asRows) session.db.insertRow(rel.id, r);
  return { tag: stmt.asQuery ? `SELECT ${asRows!.length}` : 'CREATE TABLE' };
}

/**
 * CREATE SOURCE: a relation whose rows come from its connector and are not stored. Views
 * read it as a stream: a materialized view over a source sees the events read after it was
 * created (it starts at the source's current offset), and a source reads nothing while no
 * materialized view consumes it. It cannot be queried directly.
 */
export function executeCreateSource(
  session: StatementSession,
  stmt: A.CreateSourceStatement,
  ctx: EvalContext,
): StatementResult {
  const name = Catalog.simpleName(stmt.name);
  const catalog = session.db.catalog;
  if (catalog.get(name)) {
    if (stmt.ifNotExists)
      return { tag: 'CREATE SOURCE', notices: [`relation "${name}" already exists, skipping`] };
    checkNewName(session, name, stmt.name[0]?.pos);
  }
  const spec = connectorSpec(stmt.withOptions, stmt.format);
  if (!spec)
    throw new SqlError(
      SqlState.invalidParameterValue,
      `CREATE SOURCE needs a connector: WITH (connector = '${CONNECTORS.join("' | '")}', ...)`,
      stmt.name[0]?.pos,
    );
  const seen = new Set<string>();
  for (const c of stmt.columns) {
    if (seen.has(c.name.value))
      throw new SqlError(
        SqlState.duplicateColumn,
        `column "${c.name.value}" specified more than once`,
        c.name.pos,
      );
    seen.add(c.name.value);
    if (c.primaryKey || c.default)
      throw new SqlError(
        SqlState.featureNotSupported,
        `a source column cannot have ${c.primaryKey ? 'a PRIMARY KEY' : 'a DEFAULT'} (column "${c.name.value}")`,
        c.name.pos,
      );
  }
  const columns: ColumnDesc[] =
    stmt.columns.length === 0
      ? defaultConnectorColumns(spec)
      : stmt.columns.map((c) => ({
          name: c.name.value,
          type: c.dataType,
          notNull: c.notNull === true,
          generated: c.generated,
        }));
  const watermark = checkedWatermark(stmt.watermark, name, columns, catalog, ctx);
  const rel: RelationDesc = {
    id: catalog.allocateId(),
    kind: 'source',
    name,
    columns,
    primaryKey: [],
    appendOnly: true,
    definition: printStatement(stmt),
    dependsOn: [],
    watermark,
    connector: spec.name,
    onConflict: 'overwrite',
  };
  session.db.connectors.set(rel.id, createConnector(rel, spec, catalog, ctx));
  catalog.relations.set(name, rel);
  return { tag: 'CREATE SOURCE' };
}

export function executeCreateView(
  session: StatementSession,
  stmt: A.CreateViewStatement,
  sql: string,
  ctx: EvalContext,
): StatementResult {
  const tag = stmt.materialized ? 'CREATE MATERIALIZED VIEW' : 'CREATE VIEW';
  const name = Catalog.simpleName(stmt.name);
  const existing = session.db.catalog.get(name);
  if (existing) {
    if (stmt.ifNotExists) return { tag, notices: [`relation "${name}" already exists, skipping`] };
    if (!(stmt.orReplace && existing.kind === 'view' && !stmt.materialized))
      checkNewName(session, name, stmt.name[0]?.pos);
  }
  const binder = new Binder(session.db.catalog, ctx);
  const bound = binder.bindQuery(stmt.query, null);
  if (stmt.materialized) return createMaterializedView(session, stmt, name, binder, bound, ctx);
  const names = viewColumnNames(stmt, bound);
  const catalog = session.db.catalog;
  const rel: RelationDesc = {
    id: existing?.id ?? catalog.allocateId(),
    kind: 'view',
    name,
    columns: bound.plan.schema.map((c, i) => ({
      name: names[i]!,
      type: c.type.kind === 'unknown' ? T.text : c.type,
      notNull: false,
    })),
    primaryKey: [],
    appendOnly: false,
    query: stmt.query,
    definition: printStatement(stmt),
    dependsOn: [...binder.referenced],
    onConflict: 'overwrite',
  };
  catalog.relations.set(name, rel);
  return { tag };
}

/** Names of a view's columns: the query's, overridden by an explicit column list. */
function viewColumnNames(stmt: A.CreateViewStatement, bound: { names: string[] }): string[] {
  const names = bound.names.slice();
  if (stmt.columns) {
    if (stmt.columns.length > names.length)
      throw new SqlError(
        SqlState.syntaxError,
        'CREATE VIEW specifies more column names than columns',
      );
    stmt.columns.forEach((c, i) => (names[i] = c.value));
  }
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw new SqlError(SqlState.duplicateColumn, `column "${dup}" specified more than once`);
  return names;
}

/** EXPLAIN of CREATE MATERIALIZED VIEW: the view's dataflow, planned into a scratch graph. */
export function explainMaterializedView(
  session: StatementSession,
  stmt: A.CreateViewStatement,
  ctx: EvalContext,
): string[] {
  const binder = new Binder(session.db.catalog, ctx);
  const bound = binder.bindQuery(stmt.query, null);
  const planned = planMaterializedView(
    session,
    new StreamGraph(),
    printName(stmt.name),
    bound.plan,
    stmt.emitOnWindowClose,
  );
  return explainDataflow(planned.output, new Set(planned.nodes));
}

function printName(name: A.ObjectName): string {
  return name.map((p) => p.value).join('.');
}

/** Plans a materialized view's dataflow into the stream graph (without backfilling it). */
export function planMaterializedView(
  session: StatementSession,
  graph: StreamGraph,
  name: string,
  plan: PlanNode,
  emitOnWindowClose = false,
): PlannedView {
  const catalog = session.db.catalog;
  const planner = new StreamPlanner(
    graph,
    (id) => {
      const rel = catalog.byId(id);
      if (!rel) throw new SqlError(SqlState.internalError, `relation ${id} vanished`);
      return rel;
    },
    (rel) => {
      if (rel.kind === 'materializedView') {
        const flow = graph.views.get(rel.id);
        if (flow) return flow.output;
        // Planning into a scratch graph (EXPLAIN): stand in for the upstream view.
        return graph.newNode(
          new SourceExecutor(
            rel.name,
            rel.columns.map((c) => ({ name: c.name, type: c.type })),
            'view',
          ),
        );
      }
      let src = graph.tableSources.get(rel.id);
      if (!src) {
        src = graph.newNode(
          new SourceExecutor(
            rel.name,
            rel.columns.map((c) => ({ name: c.name, type: c.type })),
            rel.kind === 'source' ? 'source' : 'table',
          ),
        );
        const wm = rel.watermark && rel.columns.findIndex((c) => c.name === rel.watermark!.column);
        src.watermarkColumns = new Set(wm !== undefined && wm >= 0 ? [wm] : []);
        const current = session.db.tableWatermarks.get(rel.id);
        if (wm !== undefined && wm >= 0 && current !== undefined)
          src.watermarks = new Map([[wm, current]]);
        graph.tableSources.set(rel.id, src);
      }
      return src;
    },
  );
  return planner.planView(name, decorrelate(plan), emitOnWindowClose);
}

function createMaterializedView(
  session: StatementSession,
  stmt: A.CreateViewStatement,
  name: string,
  binder: Binder,
  bound: { plan: PlanNode; names: string[] },
  ctx: EvalContext,
): StatementResult {
  // As in RisingWave, a materialized view's column list names every column.
  if (stmt.columns && stmt.columns.length < bound.names.length)
    throw new SqlError(
      SqlState.syntaxError,
      'CREATE MATERIALIZED VIEW specifies fewer column names than columns',
    );
  const names = viewColumnNames(stmt, bound);
  const schema = bound.plan.schema.map((c, i) => ({
    name: names[i]!,
    type: c.type.kind === 'unknown' ? T.text : c.type,
  }));
  const db = session.db;
  const planned = planMaterializedView(
    session,
    db.graph,
    name,
    { ...bound.plan, schema },
    stmt.emitOnWindowClose,
  );
  const catalog = db.catalog;
  const rel: RelationDesc = {
    id: catalog.allocateId(),
    kind: 'materializedView',
    name,
    columns: schema.map((c) => ({ ...c, notNull: false })),
    primaryKey: [],
    appendOnly: false,
    query: stmt.query,
    definition: printStatement(stmt),
    dependsOn: [...binder.referenced],
    onConflict: 'overwrite',
  };
  for (const n of planned.nodes) n.timeZone = ctx.timeZone;
  try {
    // A source keeps no rows: the view starts with the events read after it is created.
    const snapshot = (id: number): Row[] =>
      catalog.byId(id)?.kind === 'source' ? [] : db.scanRelation(id);
    if (!db.restoreViewState?.(rel.id, planned.nodes, db.streamEnv(ctx)))
      backfill(db.graph, planned, snapshot, db.streamEnv(ctx));
  } catch (err) {
    // Leave no half-built dataflow behind.
    db.graph.views.set(rel.id, { output: planned.output, nodes: planned.nodes });
    db.graph.dropView(rel.id);
    throw err;
  }
  db.graph.views.set(rel.id, { output: planned.output, nodes: planned.nodes });
  catalog.relations.set(name, rel);
  return { tag: 'CREATE MATERIALIZED VIEW' };
}

export function executeCreateFunction(
  session: StatementSession,
  stmt: A.CreateFunctionStatement,
): StatementResult {
  const name = Catalog.simpleName(stmt.name);
  if (stmt.language.toLowerCase() !== 'sql')
    throw new SqlError(
      SqlState.featureNotSupported,
      `language "${stmt.language}" is not supported`,
    );
  if (!stmt.returns)
    throw new SqlError(
      SqlState.invalidFunctionDefinition,
      'function result type must be specified',
    );
  let body: A.Expr | A.Query;
  if (stmt.body.kind === 'return') body = stmt.body.expr;
  else {
    const parsed = parseStatements(stmt.body.text);
    const q = parsed[parsed.length - 1];
    if (!q || q.kind !== 'query')
      throw new SqlError(
        SqlState.featureNotSupported,
        'only SELECT bodies are supported in SQL functions',
      );
    const b = q.query.body;
    const simple =
      b.kind === 'select' &&
      b.select.from.length === 0 &&
      !b.select.where &&
      b.select.groupBy.length === 0 &&
      b.select.projection.length === 1 &&
      b.select.projection[0]!.kind === 'expr' &&
      q.query.orderBy.length === 0 &&
      !q.query.limit;
    body = simple ? (b.select.projection[0] as { expr: A.Expr }).expr : q.query;
  }
  const params = stmt.params.map((p) => ({ name: p.name?.value, type: p.dataType }));
  const catalog = session.db.catalog;
  const list = catalog.functions.get(name) ?? [];
  const same = list.findIndex(
    (f) =>
      f.params.length === params.length &&
      f.params.every((p, i) => typeName(p.type) === typeName(params[i]!.type)),
  );
  if (same >= 0 && !stmt.orReplace)
    throw new SqlError(
      SqlState.duplicateFunction,
      `function ${name}(${params.map((p) => typeName(p.type)).join(', ')}) already exists with same argument types`,
    );
  const desc: FunctionDesc = {
    name,
    params,
    returns: stmt.returns,
    body,
    definition: printStatement(stmt),
  };
  if (same >= 0) list[same] = desc;
  else list.push(desc);
  catalog.functions.set(name, list);
  return { tag: 'CREATE FUNCTION' };
}

export function executeCreateIndex(
  session: StatementSession,
  stmt: A.CreateIndexStatement,
): StatementResult {
  const binder = new Binder(session.db.catalog, { timeZone: 'UTC', statementTime: 0n });
  const rel = binder.lookupRelation(stmt.table);
  const name = Catalog.simpleName(stmt.name);
  const catalog = session.db.catalog;
  if (catalog.indexes.has(name) || catalog.get(name)) {
    if (stmt.ifNotExists)
      return { tag: 'CREATE INDEX', notices: [`relation "${name}" already exists, skipping`] };
    throw new SqlError(SqlState.duplicateTable, `relation "${name}" already exists`);
  }
  // Indexes do not change query results; Sluice records them for DROP INDEX and the catalog.
  catalog.indexes.set(name, rel.id);
  return { tag: 'CREATE INDEX' };
}

export function executeDrop(session: StatementSession, stmt: A.DropStatement): StatementResult {
  const catalog = session.db.catalog;
  const tag = `DROP ${stmt.objectType.toUpperCase()}`;
  const notices: string[] = [];
  for (const n of stmt.names) {
    const name = Catalog.simpleName(n);
    switch (stmt.objectType) {
      case 'function': {
        if (!catalog.functions.delete(name)) {
          if (stmt.ifExists) notices.push(`function ${name}() does not exist, skipping`);
          else
            throw new SqlError(
              SqlState.undefinedFunction,
              `function ${name} does not exist`,
              n[0]?.pos,
            );
        }
        continue;
      }
      case 'index': {
        if (!catalog.indexes.delete(name)) {
          if (stmt.ifExists) notices.push(`index "${name}" does not exist, skipping`);
          else
            throw new SqlError(
              SqlState.undefinedObject,
              `index "${name}" does not exist`,
              n[0]?.pos,
            );
        }
        continue;
      }
      case 'schema':
      case 'database':
      case 'sink':
        throw new SqlError(
          SqlState.featureNotSupported,
          `DROP ${stmt.objectType.toUpperCase()} is not supported`,
        );
      default:
        break;
    }
    const want = stmt.objectType === 'materialized view' ? 'materializedView' : stmt.objectType;
    const rel = catalog.get(name);
    if (!rel) {
      if (stmt.ifExists) {
        notices.push(`${stmt.objectType} "${name}" does not exist, skipping`);
        continue;
      }
      throw new SqlError(
        SqlState.undefinedTable,
        `${stmt.objectType} "${name}" does not exist`,
        n[0]?.pos,
      );
    }
    if (rel.kind !== want)
      throw new SqlError(
        SqlState.wrongObjectType,
        `"${name}" is not a ${stmt.objectType}`,
        n[0]?.pos,
        undefined,
        `Use DROP ${relationKindName(rel.kind).toUpperCase()} to remove a ${relationKindName(rel.kind)}.`,
      );
    dropRelation(session, rel, stmt.cascade);
  }
  return { tag, notices };
}

function dropRelation(session: StatementSession, rel: RelationDesc, cascade: boolean): void {
  const catalog = session.db.catalog;
  const deps = catalog.dependents(rel.id);
  if (deps.length > 0 && !cascade)
    throw new SqlError(
      SqlState.dependentObjectsStillExist,
      `cannot drop ${relationKindName(rel.kind)} ${rel.name} because other objects depend on it`,
      undefined,
      deps
        .map(
          (d) =>
            `${relationKindName(d.kind)} ${d.name} depends on ${relationKindName(rel.kind)} ${rel.name}`,
        )
        .join('\n'),
      'Use DROP ... CASCADE to drop the dependent objects too.',
    );
  for (const d of deps) dropRelation(session, d, true);
  catalog.relations.delete(rel.name);
  for (const [idx, tableId] of catalog.indexes) if (tableId === rel.id) catalog.indexes.delete(idx);
  if (rel.kind === 'table' || rel.kind === 'source') {
    if (rel.kind === 'table') session.db.dropStore(rel.id);
    session.db.graph.tableSources.delete(rel.id);
    session.db.connectors.delete(rel.id);
  }
  if (rel.kind === 'materializedView') session.db.graph.dropView(rel.id);
}

export { printQuery };

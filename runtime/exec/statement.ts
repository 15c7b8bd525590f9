/** Dispatches one parsed statement to its implementation. */
import type { Statement } from '../sql/ast.js';
import type { Value } from '../types/value.js';
import type { EvalContext } from '../expr/context.js';
import type { ColumnInfo, StatementResult, StatementSession } from './session.js';
import type { DataType } from '../types/datatype.js';
import { SqlError, SqlState } from '../errors.js';
import { Binder } from '../binder/binder.js';
import { makeEnv, runPlan } from './executor.js';
import { executeDelete, executeInsert, executeUpdate } from './dml.js';
import {
  executeCreateFunction,
  executeCreateIndex,
  executeCreateSource,
  executeCreateTable,
  executeCreateView,
  explainMaterializedView,
  executeDrop,
} from './ddl.js';
import { executeDescribe, executeSet, executeShow } from './show.js';
import { explainPlan } from '../plan/explain.js';
import type { PlanNode } from '../plan/logical.js';

export function bindQueryStatement(
  session: StatementSession,
  stmt: Extract<Statement, { kind: 'query' }>,
  ctx: EvalContext,
  paramTypes: DataType[] = [],
  describeOnly = false,
): { plan: PlanNode; binder: Binder } {
  const binder = new Binder(session.db.catalog, ctx, paramTypes);
  binder.describeOnly = describeOnly;
  const bound = binder.bindQuery(stmt.query, null);
  const plan: PlanNode = {
    ...bound.plan,
    schema: bound.plan.schema.map((c, i) => ({ name: bound.names[i] ?? c.name, type: c.type })),
  };
  return { plan, binder };
}

/** Parameter types and result columns of a statement, without running it. */
export function describeStatement(
  session: StatementSession,
  stmt: Statement,
  ctx: EvalContext,
  paramTypes: DataType[],
): { paramTypes: DataType[]; columns?: ColumnInfo[] } {
  const target = stmt.kind === 'explain' ? null : stmt;
  if (stmt.kind === 'explain')
    return { paramTypes, columns: [{ name: 'QUERY PLAN', type: { kind: 'text' } }] };
  if (target?.kind === 'query') {
    const { plan, binder } = bindQueryStatement(session, target, ctx, paramTypes, true);
    return {
      paramTypes: binder.paramTypes.slice(),
      columns: plan.schema.map((c) => ({ name: c.name, type: c.type })),
    };
  }
  if (target?.kind === 'show' || target?.kind === 'describe') {
    // These return rows whose shape depends only on the statement: run it (it has no effects).
    const r = executeStatement(session, target, '', [], ctx, paramTypes);
    return { paramTypes, columns: r.columns };
  }
  if (
    (target?.kind === 'insert' || target?.kind === 'update' || target?.kind === 'delete') &&
    target.returning
  ) {
    return { paramTypes, columns: undefined };
  }
  return { paramTypes, columns: undefined };
}

export function executeStatement(
  session: StatementSession,
  stmt: Statement,
  sql: string,
  params: Value[],
  ctx: EvalContext,
  paramTypes: DataType[] = [],
): StatementResult {
  switch (stmt.kind) {
    case 'query': {
      const { plan } = bindQueryStatement(session, stmt, ctx, paramTypes);
      const rows = runPlan(plan, makeEnv(session, params, ctx));
      return {
        tag: `SELECT ${rows.length}`,
        columns: plan.schema.map((c) => ({ name: c.name, type: c.type })),
        rows,
        rowCount: rows.length,
      };
    }
    case 'insert':
      noteWrite(session);
      return executeInsert(session, stmt, params, ctx);
    case 'update':
      noteWrite(session);
      return executeUpdate(session, stmt, params, ctx);
    case 'delete':
      noteWrite(session);
      return executeDelete(session, stmt, params, ctx);
    case 'createTable':
      return executeCreateTable(session, stmt, sql, params, ctx);
    case 'createView':
      return executeCreateView(session, stmt, sql, ctx);
    case 'createFunction':
      return executeCreateFunction(session, stmt);
    case 'createIndex':
      return executeCreateIndex(session, stmt);
    case 'createSource':
      return executeCreateSource(session, stmt, ctx);
    case 'createSink':
      throw new SqlError(SqlState.featureNotSupported, 'CREATE SINK is not supported yet');
    case 'createSchema':
      throw new SqlError(SqlState.featureNotSupported, 'CREATE SCHEMA is not supported yet');
    case 'drop':
      return executeDrop(session, stmt);
    case 'show':
      return executeShow(session, stmt);
    case 'set':
      return executeSet(session, stmt, ctx);
    case 'describe':
      return executeDescribe(session, stmt);
    case 'explain': {
      const inner = stmt.statement;
      if (inner.kind === 'createView' && inner.materialized) {
        return textRows(explainMaterializedView(session, inner, ctx));
      }
      if (inner.kind !== 'query')
        throw new SqlError(
          SqlState.featureNotSupported,
          `EXPLAIN of ${inner.kind} statements is not supported yet`,
        );
      const { plan } = bindQueryStatement(session, inner, ctx, paramTypes);
      return textRows(explainPlan(plan));
    }
    case 'flush':
      return { tag: 'FLUSH' };
    case 'begin':
    case 'startTransaction':
      session.inTransaction = true;
      session.wroteInTransaction = false;
      return { tag: stmt.kind === 'begin' ? 'BEGIN' : 'START TRANSACTION' };
    case 'commit':
      session.inTransaction = false;
      return { tag: 'COMMIT' };
    case 'rollback': {
      const wrote = session.wroteInTransaction;
      session.inTransaction = false;
      session.wroteInTransaction = false;
      if (wrote)
        throw new SqlError(
          SqlState.featureNotSupported,
          'ROLLBACK cannot undo writes: each statement is committed when it returns',
        );
      return { tag: 'ROLLBACK' };
    }
  }
}

function textRows(lines: string[]): StatementResult {
  return {
    tag: 'EXPLAIN',
    columns: [{ name: 'QUERY PLAN', type: { kind: 'text' } }],
    rows: lines.map((l) => [l]),
    rowCount: lines.length,
  };
}

function noteWrite(session: StatementSession): void {
  if (session.inTransaction) session.wroteInTransaction = true;
}

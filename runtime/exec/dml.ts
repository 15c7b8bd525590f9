/**
 * INSERT, UPDATE and DELETE. Each statement first computes every row it will write (so a
 * failing row leaves the table untouched), then applies the changes. A table with a primary key
 * resolves key conflicts by its ON CONFLICT policy (RisingWave's default: overwrite).
 */
import type * as A from '../sql/ast.js';
import type { DataType } from '../types/datatype.js';
import { T, typeName } from '../types/datatype.js';
import type { Row, Value } from '../types/value.js';
import type { EvalContext } from '../expr/context.js';
import type { StatementResult, StatementSession } from './session.js';
import type { RelationDesc } from '../catalog/catalog.js';
import { relationKindName } from '../catalog/catalog.js';
import { SqlError, SqlState } from '../errors.js';
import { Binder } from '../binder/binder.js';
import { Scope } from '../binder/scope.js';
import type { BoundExpr, PlanNode } from '../plan/logical.js';
import { compiled } from '../expr/eval.js';
import { makeEnv, runPlan } from './executor.js';
import type { ExecEnv } from '../expr/env.js';

function targetTable(
  session: StatementSession,
  binder: Binder,
  name: A.ObjectName,
  verb: string,
): RelationDesc {
  const rel = binder.lookupRelation(name);
  if (rel.kind !== 'table')
    throw new SqlError(
      SqlState.wrongObjectType,
      `cannot ${verb} ${relationKindName(rel.kind)} "${rel.name}"`,
    );
  void session;
  return rel;
}

/** Validates a full row against column constraints. */
export function checkRow(rel: RelationDesc, row: Row): void {
  rel.columns.forEach((c, i) => {
    const v = row[i] ?? null;
    if (v === null && (c.notNull || rel.primaryKey.includes(i)))
      throw new SqlError(
        SqlState.notNullViolation,
        `null value in column "${c.name}" of relation "${rel.name}" violates not-null constraint`,
      );
    if (
      v !== null &&
      c.type.kind === 'varchar' &&
      c.type.length !== undefined &&
      [...(v as string)].length > c.type.length
    )
      throw new SqlError(
        SqlState.stringDataRightTruncation,
        `value too long for type character varying(${c.type.length})`,
      );
  });
}

function tableScope(
  rel: RelationDesc,
  alias: string | undefined,
  outer: Scope | null = null,
): Scope {
  return new Scope(
    rel.columns.map((c) => ({
      qualifier: alias ?? rel.name,
      name: c.name,
      type: c.type,
      hidden: c.hidden,
    })),
    outer,
  );
}

/** Applies new rows to a table with its primary-key conflict policy. */
export function writeRows(
  session: Pick<StatementSession, 'db'>,
  rel: RelationDesc,
  rows: Row[],
): number {
  const db = session.db;
  const store = db.store(rel.id);
  let count = 0;
  const watermarked = rel.watermark !== undefined;
  for (const row of rows) {
    // A late row is dropped, as the table's watermark promised its views.
    if (watermarked && db.isLate(rel.id, row)) continue;
    if (rel.primaryKey.length > 0) {
      const existing = store.findByKey(row);
      if (existing !== undefined) {
        if (rel.onConflict === 'ignore') continue;
        const old = store.get(existing)!;
        let merged = row;
        if (rel.onConflict === 'doUpdateIfNotNull')
          merged = row.map((v, i) => (v === null ? (old[i] ?? null) : v));
        db.deleteRow(rel.id, existing);
        db.insertRow(rel.id, merged);
        count++;
        continue;
      }
    }
    db.insertRow(rel.id, row);
    count++;
  }
  return count;
}

function returning(
  binder: Binder,
  items: A.SelectItem[] | undefined,
  scope: Scope,
  rows: Row[],
  env: ExecEnv,
): Pick<StatementResult, 'columns' | 'rows'> {
  if (!items) return {};
  const exprs: BoundExpr[] = [];
  const names: string[] = [];
  for (const item of items) {
    if (item.kind === 'expr') {
      exprs.push(binder.exprs.bind(item.expr, binder.plainContext(scope, 'RETURNING')));
      names.push(
        item.alias?.value ??
          (item.expr.kind === 'identifier'
            ? item.expr.parts[item.expr.parts.length - 1]!.value
            : item.expr.kind === 'function'
              ? item.expr.name[item.expr.name.length - 1]!.value
              : '?column?'),
      );
    } else {
      scope.columns.forEach((c, i) => {
        if (c.hidden) return;
        exprs.push({ kind: 'column', index: i, type: c.type });
        names.push(c.name);
      });
    }
  }
  const fixed = exprs.map((e) =>
    e.type.kind === 'unknown' ? binder.exprs.coerce(e, T.text, 'implicit') : e,
  );
  const cs = fixed.map(compiled);
  return {
    columns: fixed.map((e, i) => ({ name: names[i]!, type: e.type })),
    rows: rows.map((r) => cs.map((c) => c(r, env))),
  };
}

function assignmentError(
  col: { name: string; type: DataType },
  from: DataType,
  pos?: number,
): SqlError {
  return new SqlError(
    SqlState.datatypeMismatch,
    `column "${col.name}" is of type ${typeName(col.type)} but expression is of type ${typeName(from)}`,
    pos,
    undefined,
    'You will need to rewrite or cast the expression.',
  );
}

function coerceAssign(
  binder: Binder,
  e: BoundExpr,
  col: { name: string; type: DataType },
  pos?: number,
): BoundExpr {
  try {
    return binder.exprs.coerce(e, col.type, 'assignment', pos);
  } catch (err) {
    if (
      err instanceof SqlError &&
      (err.code === SqlState.datatypeMismatch || err.code === SqlState.cannotCoerce)
    )
      throw assignmentError(col, e.type, pos);
    throw err;
  }
}

export function executeInsert(
  session: StatementSession,
  stmt: A.InsertStatement,
  params: Value[],
  ctx: EvalContext,
): StatementResult {
  const binder = new Binder(session.db.catalog, ctx);
  const rel = targetTable(session, binder, stmt.table, 'insert into');
  const visible = rel.columns
    .map((c, i) => ({ c, i }))
    .filter(({ c }) => !c.hidden && !c.generated);
  let targets: number[];
  if (stmt.columns) {
    const seen = new Set<number>();
    targets = stmt.columns.map((id) => {
      const i = rel.columns.findIndex((c) => c.name === id.value);
      if (i < 0)
        throw new SqlError(
          SqlState.undefinedColumn,
          `column "${id.value}" of relation "${rel.name}" does not exist`,
          id.pos,
        );
      if (seen.has(i))
        throw new SqlError(
          SqlState.duplicateColumn,
          `column "${id.value}" specified more than once`,
          id.pos,
        );
      seen.add(i);
      return i;
    });
  } else targets = visible.map((v) => v.i);

  const env = makeEnv(session, params, ctx);
  const empty = new Scope([]);
  let sourcePlan: PlanNode;
  const body = stmt.source.body;
  if (
    body.kind === 'values' &&
    !stmt.source.orderBy.length &&
    !stmt.source.limit &&
    !stmt.source.with
  ) {
    // VALUES rows coerce each expression straight to its column's type, so literals parse as it.
    const rows = body.rows.map((r) => {
      if (r.length > targets.length)
        throw new SqlError(
          SqlState.syntaxError,
          'INSERT has more expressions than target columns',
          r[targets.length]?.pos,
        );
      if (r.length < targets.length)
        throw new SqlError(
          SqlState.syntaxError,
          'INSERT has more target columns than expressions',
          r[r.length - 1]?.pos,
        );
      return r.map((e, k) => {
        const col = rel.columns[targets[k]!]!;
        return coerceAssign(
          binder,
          binder.exprs.bind(e, binder.plainContext(empty, 'VALUES')),
          col,
          e.pos,
        );
      });
    });
    sourcePlan = {
      kind: 'values',
      rows,
      schema: targets.map((t) => ({ name: rel.columns[t]!.name, type: rel.columns[t]!.type })),
    };
  } else {
    const bound = binder.bindQuery(stmt.source, null);
    const n = bound.plan.schema.length;
    if (n > targets.length)
      throw new SqlError(SqlState.syntaxError, 'INSERT has more expressions than target columns');
    if (n < targets.length)
      throw new SqlError(SqlState.syntaxError, 'INSERT has more target columns than expressions');
    const exprs = bound.plan.schema.map((c, k) =>
      coerceAssign(binder, { kind: 'column', index: k, type: c.type }, rel.columns[targets[k]!]!),
    );
    sourcePlan = {
      kind: 'project',
      input: bound.plan,
      exprs,
      schema: exprs.map((e, k) => ({ name: rel.columns[targets[k]!]!.name, type: e.type })),
    };
  }
  const source = runPlan(sourcePlan, env);
  const defaults = rel.columns.map((c) =>
    c.default
      ? compiled(
          coerceAssign(
            binder,
            binder.exprs.bind(c.default, binder.plainContext(empty, 'DEFAULT')),
            c,
          ),
        )
      : null,
  );
  const scope = tableScope(rel, undefined);
  const generated = rel.columns.map((c) =>
    c.generated
      ? compiled(
          coerceAssign(
            binder,
            binder.exprs.bind(c.generated, binder.plainContext(scope, 'generation expression')),
            c,
          ),
        )
      : null,
  );
  const rows = source.map((src) => {
    const row: Row = rel.columns.map((_, i) => (defaults[i] ? defaults[i]!([], env) : null));
    targets.forEach((t, k) => (row[t] = src[k] ?? null));
    generated.forEach((g, i) => {
      if (g) row[i] = g(row, env);
    });
    checkRow(rel, row);
    return row;
  });
  const count = writeRows(session, rel, rows);
  return {
    tag: `INSERT 0 ${count}`,
    rowCount: count,
    ...returning(binder, stmt.returning, scope, rows, env),
  };
}

/** Rows of `rel` matching WHERE (joined with FROM/USING items), with their row ids. */
function matchingRows(
  session: StatementSession,
  binder: Binder,
  rel: RelationDesc,
  alias: string | undefined,
  from: A.TableRef[] | undefined,
  where: A.Expr | undefined,
  env: ExecEnv,
): { scope: Scope; matches: { id: number; row: Row; joined: Row }[] } {
  const base = tableScope(rel, alias);
  let scope = base;
  let extra: Row[] = [[]];
  if (from && from.length > 0) {
    const f = binder.bindFromList(from, null);
    scope = new Scope([...base.columns, ...f.scope.columns]);
    extra = runPlan(f.plan, env);
  }
  const pred = where
    ? compiled(binder.exprs.bindCondition(where, binder.plainContext(scope, 'WHERE'), 'WHERE'))
    : null;
  const { ids, rows } = session.db.store(rel.id).scan();
  const matches: { id: number; row: Row; joined: Row }[] = [];
  rows.forEach((row, k) => {
    for (const x of extra) {
      const joined = x.length ? [...row, ...x] : row;
      if (!pred || pred(joined, env) === true) {
        // Each target row is changed once, by its first matching FROM row, as in PostgreSQL.
        matches.push({ id: ids[k]!, row, joined });
        break;
      }
    }
  });
  return { scope, matches };
}

export function executeUpdate(
  session: StatementSession,
  stmt: A.UpdateStatement,
  params: Value[],
  ctx: EvalContext,
): StatementResult {
  const binder = new Binder(session.db.catalog, ctx);
  const rel = targetTable(session, binder, stmt.table, 'update');
  const env = makeEnv(session, params, ctx);
  const { scope, matches } = matchingRows(
    session,
    binder,
    rel,
    stmt.alias?.value,
    stmt.from,
    stmt.where,
    env,
  );
  const sets: { col: number; value: (row: Row, env: ExecEnv) => Value }[] = [];
  for (const a of stmt.assignments) {
    if (a.columns.length !== 1) {
      // (a, b) = (x, y)
      const v = a.value;
      if (v.kind !== 'row' || v.exprs.length !== a.columns.length)
        throw new SqlError(
          SqlState.syntaxError,
          'number of columns does not match number of values',
          a.columns[0]?.pos,
        );
      a.columns.forEach((c, k) => pushSet(c, v.exprs[k]!));
      continue;
    }
    pushSet(a.columns[0]!, a.value);
  }
  function pushSet(c: A.Ident, value: A.Expr): void {
    const i = rel.columns.findIndex((col) => col.name === c.value);
    if (i < 0)
      throw new SqlError(
        SqlState.undefinedColumn,
        `column "${c.value}" of relation "${rel.name}" does not exist`,
        c.pos,
      );
    if (sets.some((s) => s.col === i))
      throw new SqlError(
        SqlState.duplicateColumn,
        `multiple assignments to same column "${c.value}"`,
        c.pos,
      );
    const col = rel.columns[i]!;
    const e =
      value.kind === 'identifier' &&
      value.parts.length === 1 &&
      value.parts[0]!.value === 'default' &&
      !value.parts[0]!.quoted
        ? col.default
          ? binder.exprs.bind(col.default, binder.plainContext(new Scope([]), 'DEFAULT'))
          : ({ kind: 'literal', value: null, type: col.type } as BoundExpr)
        : binder.exprs.bind(value, binder.plainContext(scope, 'UPDATE'));
    sets.push({ col: i, value: compiled(coerceAssign(binder, e, col, value.pos)) });
  }
  const updated = matches.map((m) => {
    const row = m.row.slice();
    for (const s of sets) row[s.col] = s.value(m.joined, env);
    checkRow(rel, row);
    return { id: m.id, row };
  });
  // Delete every old version first so a primary-key change cannot collide with itself.
  for (const u of updated) session.db.deleteRow(rel.id, u.id);
  writeRows(
    session,
    rel,
    updated.map((u) => u.row),
  );
  return {
    tag: `UPDATE ${updated.length}`,
    rowCount: updated.length,
    ...returning(
      binder,
      stmt.returning,
      tableScope(rel, stmt.alias?.value),
      updated.map((u) => u.row),
      env,
    ),
  };
}

export function executeDelete(
  session: StatementSession,
  stmt: A.DeleteStatement,
  params: Value[],
  ctx: EvalContext,
): StatementResult {
  const binder = new Binder(session.db.catalog, ctx);
  const rel = targetTable(session, binder, stmt.table, 'delete from');
  const env = makeEnv(session, params, ctx);
  const { matches } = matchingRows(
    session,
    binder,
    rel,
    stmt.alias?.value,
    stmt.using,
    stmt.where,
    env,
  );
  for (const m of matches) session.db.deleteRow(rel.id, m.id);
  return {
    tag: `DELETE ${matches.length}`,
    rowCount: matches.length,
    ...returning(
      binder,
      stmt.returning,
      tableScope(rel, stmt.alias?.value),
      matches.map((m) => m.row),
      env,
    ),
  };
}

/** SET, SHOW and DESCRIBE. */
import type * as A from '../sql/ast.js';
import { T, typeName } from '../types/datatype.js';
import type { EvalContext } from '../expr/context.js';
import type { StatementResult, StatementSession } from './session.js';
import { Catalog } from '../catalog/catalog.js';
import { SqlError, SqlState } from '../errors.js';
import { Binder } from '../binder/binder.js';
import { makeEnv, runPlan } from './executor.js';
import { Scope } from '../binder/scope.js';
import {
  SESSION_DEFAULTS as DEFAULTS,
  SETTING_DISPLAY_NAMES as DISPLAY,
} from '../catalog/settings.js';
import { posixZone, validateTimeZone } from '../types/datetime.js';

function oneValue(name: string, value: string): StatementResult {
  return { tag: 'SHOW', columns: [{ name, type: T.text }], rows: [[value]], rowCount: 1 };
}

function valueText(e: A.Expr): string {
  switch (e.kind) {
    case 'literal':
      if (e.value.kind === 'string') return e.value.value;
      if (e.value.kind === 'number') return e.value.text;
      if (e.value.kind === 'boolean') return e.value.value ? 'true' : 'false';
      return '';
    case 'identifier':
      return e.parts.map((p) => p.value).join('.');
    case 'unary':
      if (e.op === '-' || e.op === '+') return `${e.op}${valueText(e.operand)}`;
      break;
    case 'typedString':
      return e.value;
    default:
      break;
  }
  throw new SqlError(SqlState.syntaxError, 'SET value must be a literal or identifier', e.pos);
}

export function executeSet(
  session: StatementSession,
  stmt: A.SetStatement,
  ctx: EvalContext,
): StatementResult {
  void ctx;
  const name = stmt.name.toLowerCase();
  if (name === 'timezone' || name === 'time zone') {
    if (stmt.isDefault || stmt.values.length === 0) session.settings.timeZone = 'UTC';
    else {
      const e = stmt.values[0]!;
      const v = valueText(e);
      // A number is hours east of UTC; a string is a zone name or POSIX spec.
      const isNumber = e.kind === 'literal' ? e.value.kind === 'number' : e.kind === 'unary';
      session.settings.timeZone =
        v.toLowerCase() === 'local' || v.toLowerCase() === 'default'
          ? 'UTC'
          : validateTimeZone(isNumber ? v : posixZone(v));
    }
    return { tag: 'SET' };
  }
  if (stmt.isDefault) {
    session.settings.vars.delete(name);
    return { tag: 'SET' };
  }
  session.settings.vars.set(name, stmt.values.map(valueText).join(', '));
  return { tag: 'SET' };
}

export function executeShow(session: StatementSession, stmt: A.ShowStatement): StatementResult {
  const catalog = session.db.catalog;
  const list = (kind: string, column = 'Name'): StatementResult => {
    const names = [...catalog.relations.values()]
      .filter((r) => r.kind === kind)
      .map((r) => r.name)
      .filter((n) => !stmt.like || likeToRegExp(stmt.like).test(n))
      .sort();
    return {
      tag: 'SHOW',
      columns: [{ name: column, type: T.text }],
      rows: names.map((n) => [n]),
      rowCount: names.length,
    };
  };
  switch (stmt.what) {
    case 'tables':
      return list('table');
    case 'materialized views':
      return list('materializedView');
    case 'views':
      return list('view');
    case 'sources':
      return list('source');
    case 'sinks':
      return { tag: 'SHOW', columns: [{ name: 'Name', type: T.text }], rows: [], rowCount: 0 };
    case 'databases':
      return {
        tag: 'SHOW',
        columns: [{ name: 'Name', type: T.text }],
        rows: [['dev']],
        rowCount: 1,
      };
    case 'schemas':
      return {
        tag: 'SHOW',
        columns: [{ name: 'Name', type: T.text }],
        rows: [['information_schema'], ['pg_catalog'], ['public']],
        rowCount: 3,
      };
    case 'functions': {
      const rows = [...catalog.functions.values()]
        .flat()
        .map((f) => [
          f.name,
          f.params.map((p) => typeName(p.type)).join(', '),
          typeName(f.returns),
          'sql',
        ]);
      return {
        tag: 'SHOW',
        columns: ['Name', 'Arguments', 'Return Type', 'Language'].map((name) => ({
          name,
          type: T.text,
        })),
        rows,
        rowCount: rows.length,
      };
    }
    case 'columns':
      return describe(session, stmt.name!);
    case 'create': {
      const simple = Catalog.simpleName(stmt.name!);
      const rel = catalog.get(simple);
      if (!rel)
        throw new SqlError(
          SqlState.undefinedTable,
          `relation "${simple}" does not exist`,
          stmt.name![0]?.pos,
        );
      return {
        tag: 'SHOW',
        columns: ['Name', 'Create Sql'].map((n) => ({ name: n, type: T.text })),
        rows: [[`public.${rel.name}`, rel.definition.trim().replace(/;\s*$/, '')]],
        rowCount: 1,
      };
    }
    case 'variable': {
      const name = stmt
        .name!.map((p) => p.value)
        .join('.')
        .toLowerCase();
      if (name === 'all') {
        const all = new Map<string, string>(Object.entries(DEFAULTS));
        all.set('timezone', session.settings.timeZone);
        for (const [k, v] of session.settings.vars) all.set(k, v);
        const rows = [...all]
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([k, v]) => [DISPLAY[k] ?? k, v, '']);
        return {
          tag: 'SHOW',
          columns: ['Name', 'Setting', 'Description'].map((n) => ({ name: n, type: T.text })),
          rows,
          rowCount: rows.length,
        };
      }
      if (name === 'timezone' || name === 'time zone')
        return oneValue('TimeZone', session.settings.timeZone);
      const set = session.settings.vars.get(name);
      if (set !== undefined) return oneValue(DISPLAY[name] ?? name, set);
      const def = DEFAULTS[name];
      if (def !== undefined) return oneValue(DISPLAY[name] ?? name, def);
      throw new SqlError(
        SqlState.undefinedObject,
        `unrecognized configuration parameter "${name}"`,
      );
    }
  }
}

function likeToRegExp(pattern: string): RegExp {
  const re = pattern
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace(/%/g, '.*')
    .replace(/_/g, '.');
  return new RegExp(`^${re}$`);
}

function describe(session: StatementSession, name: A.ObjectName): StatementResult {
  const simple = Catalog.simpleName(name);
  const rel = session.db.catalog.get(simple);
  if (!rel)
    throw new SqlError(
      SqlState.undefinedTable,
      `relation "${simple}" does not exist`,
      name[0]?.pos,
    );
  const rows = rel.columns
    .filter((c) => !c.hidden)
    .map((c) => [c.name, typeName(c.type), 'false', null] as (string | null)[]);
  if (rel.primaryKey.length > 0)
    rows.push([
      'primary key',
      rel.primaryKey.map((i) => rel.columns[i]!.name).join(', '),
      null,
      null,
    ]);
  return {
    tag: 'DESCRIBE',
    columns: ['Name', 'Type', 'Is Hidden', 'Description'].map((n) => ({ name: n, type: T.text })),
    rows,
    rowCount: rows.length,
  };
}

export function executeDescribe(
  session: StatementSession,
  stmt: A.DescribeStatement,
): StatementResult {
  return describe(session, stmt.name);
}

/** Evaluates a constant expression (used by DDL options). */
export function evalConstant(session: StatementSession, e: A.Expr, ctx: EvalContext): unknown {
  const binder = new Binder(session.db.catalog, ctx);
  const b = binder.exprs.bind(e, binder.plainContext(new Scope([]), 'option'));
  return runPlan(
    { kind: 'values', rows: [[b]], schema: [{ name: 'v', type: b.type }] },
    makeEnv(session, [], ctx),
  )[0]![0];
}

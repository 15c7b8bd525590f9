/**
 * Generators of the randomised oracle test: small random tables (with NULLs and duplicate rows)
 * and random queries over them, drawn from a grammar that PostgreSQL accepts — every column
 * reference is qualified and every comparison is between values of one type class.
 */
import fc from 'fast-check';

export type Kind = 'int' | 'bigint' | 'numeric' | 'text' | 'bool' | 'ts';

const SQL_TYPE: Record<Kind, string> = {
  int: 'INT',
  bigint: 'BIGINT',
  numeric: 'NUMERIC(10,2)',
  text: 'TEXT',
  bool: 'BOOLEAN',
  ts: 'TIMESTAMP',
};

const NUMERIC_KINDS: readonly Kind[] = ['int', 'bigint', 'numeric'];

export interface Column {
  name: string;
  kind: Kind;
}

export interface Table {
  name: string;
  columns: Column[];
  rows: string[][];
}

/** A column as seen from a query: its relation alias and the column. */
interface Ref {
  alias: string;
  col: Column;
}

type Gen = fc.GeneratorValue;

// ---------------------------------------------------------------------------------------------
// Small helpers over the fast-check generator

const int = (g: Gen, min: number, max: number): number => g(fc.integer, { min, max });
const pick = <T>(g: Gen, items: readonly T[]): T => {
  if (items.length === 0) throw new Error('pick from an empty list');
  return items[int(g, 0, items.length - 1)]!;
};
const chance = (g: Gen, percent: number): boolean => int(g, 1, 100) <= percent;

function literal(g: Gen, kind: Kind): string {
  switch (kind) {
    case 'int':
      return String(int(g, -3, 6));
    case 'bigint':
      return pick(g, ['0', '1', '-7', '42', '3000000000', '-3000000000']);
    case 'numeric':
      return pick(g, ['0.00', '1.50', '-2.25', '10.10', '99.99', '3.00', '0.01']);
    case 'text':
      return pick(g, ["'a'", "'b'", "'ab'", "'Ab'", "''", "'xyz'", "'a_b'", "'b%'"]);
    case 'bool':
      return pick(g, ['true', 'false']);
    case 'ts':
      return pick(g, [
        "'2024-01-01 00:00:00'",
        "'2024-01-01 12:30:00'",
        "'2023-12-31 23:59:59'",
        "'2024-02-29 08:00:00'",
      ]);
  }
}

/** A typed literal for use in expressions (timestamps need their type spelled out). */
function typedLiteral(g: Gen, kind: Kind): string {
  const lit = literal(g, kind);
  return kind === 'ts' ? `TIMESTAMP ${lit}` : lit;
}

export function genTable(g: Gen, name: string): Table {
  const columns: Column[] = [{ name: 'k', kind: 'int' }];
  const extra = int(g, 1, 3);
  for (let i = 1; i <= extra; i++) {
    columns.push({
      name: `c${i}`,
      kind: pick(g, ['int', 'bigint', 'numeric', 'text', 'bool', 'ts'] as const),
    });
  }
  // Mostly non-empty tables: empty ones make most queries trivially empty.
  const nRows = chance(g, 10) ? int(g, 0, 2) : int(g, 3, 12);
  const rows: string[][] = [];
  for (let r = 0; r < nRows; r++) {
    // Duplicate an earlier row now and then.
    if (rows.length > 0 && chance(g, 15)) {
      rows.push([...rows[int(g, 0, rows.length - 1)]!]);
      continue;
    }
    rows.push(
      columns.map((c) =>
        chance(g, 20) ? 'NULL' : c.name === 'k' ? String(int(g, 0, 4)) : literal(g, c.kind),
      ),
    );
  }
  return { name, columns, rows };
}

export function setupSql(t: Table): string[] {
  const cols = t.columns.map((c) => `${c.name} ${SQL_TYPE[c.kind]}`).join(', ');
  const out = [`CREATE TABLE ${t.name} (${cols})`];
  if (t.rows.length > 0) {
    out.push(`INSERT INTO ${t.name} VALUES ${t.rows.map((r) => `(${r.join(', ')})`).join(', ')}`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Expressions and predicates

const refSql = (r: Ref): string => `${r.alias}.${r.col.name}`;
const refsOf = (scope: Ref[], kinds: readonly Kind[]): Ref[] =>
  scope.filter((r) => kinds.includes(r.col.kind));

function numExpr(g: Gen, scope: Ref[], depth: number): string {
  const cols = refsOf(scope, NUMERIC_KINDS);
  const choice = int(g, 0, depth > 0 ? 5 : 1);
  if (choice === 0 || (choice === 1 && cols.length === 0)) {
    return pick(g, ['1', '2', '0', '10', '2.5', '0.5', '-1']);
  }
  if (choice === 1) return refSql(pick(g, cols));
  const a = numExpr(g, scope, depth - 1);
  const b = numExpr(g, scope, depth - 1);
  switch (choice) {
    case 2:
      return `(${a} + ${b})`;
    case 3:
      return `(${a} - ${b})`;
    case 4:
      return `(${a} * ${b})`;
    default:
      // Division by a column can divide by zero: PostgreSQL's error is then part of the check.
      if (chance(g, 50)) return `abs(${a})`;
      return chance(g, 85)
        ? `(${a} / ${pick(g, ['2', '3', '4.0', '-2'])})`
        : `(${a} / ${numExpr(g, scope, 0)})`;
  }
}

function textExpr(g: Gen, scope: Ref[], depth: number): string {
  const cols = refsOf(scope, ['text']);
  const choice = int(g, 0, depth > 0 ? 4 : 1);
  if (choice === 0 || cols.length === 0) return literal(g, 'text');
  if (choice === 1) return refSql(pick(g, cols));
  const a = textExpr(g, scope, depth - 1);
  if (choice === 2) return `(${a} || ${textExpr(g, scope, depth - 1)})`;
  if (choice === 3) return `upper(${a})`;
  return `lower(${a})`;
}

/** Some expression and its kind, for projections. */
function anyExpr(g: Gen, scope: Ref[]): { sql: string; kind: Kind } {
  const choice = int(g, 0, 7);
  if (choice === 6) {
    const a = numExpr(g, scope, 1);
    const b = numExpr(g, scope, 1);
    return { sql: `CASE WHEN ${predicate(g, scope, 1)} THEN ${a} ELSE ${b} END`, kind: 'numeric' };
  }
  if (choice === 7) {
    const r = pick(g, scope);
    const f = chance(g, 70) ? 'COALESCE' : 'NULLIF';
    return { sql: `${f}(${refSql(r)}, ${typedLiteral(g, r.col.kind)})`, kind: r.col.kind };
  }
  if (choice <= 1) {
    const r = pick(g, scope);
    return { sql: refSql(r), kind: r.col.kind };
  }
  if (choice === 2) return { sql: numExpr(g, scope, 2), kind: 'numeric' };
  if (choice === 3) return { sql: textExpr(g, scope, 2), kind: 'text' };
  if (choice === 4) return { sql: predicate(g, scope, 1), kind: 'bool' };
  const ts = refsOf(scope, ['ts']);
  if (ts.length > 0) {
    const r = refSql(pick(g, ts));
    return {
      sql: `(${r} + INTERVAL '${pick(g, ['1 day', '90 minutes', '-1 month'])}')`,
      kind: 'ts',
    };
  }
  return { sql: numExpr(g, scope, 1), kind: 'numeric' };
}

const CMP = ['=', '<>', '<', '<=', '>', '>='] as const;

function comparison(g: Gen, scope: Ref[]): string {
  const kinds = new Set(scope.map((r) => r.col.kind));
  const options: Kind[] = ['int'];
  if (kinds.has('text')) options.push('text');
  if (kinds.has('ts')) options.push('ts');
  if (kinds.has('bool')) options.push('bool');
  const kind = pick(g, options);
  const op = pick(g, CMP);
  if (kind === 'text') return `${textExpr(g, scope, 1)} ${op} ${textExpr(g, scope, 1)}`;
  if (kind === 'ts') {
    const r = refSql(pick(g, refsOf(scope, ['ts'])));
    return `${r} ${op} ${chance(g, 50) ? typedLiteral(g, 'ts') : refSql(pick(g, refsOf(scope, ['ts'])))}`;
  }
  if (kind === 'bool') return refSql(pick(g, refsOf(scope, ['bool'])));
  return `${numExpr(g, scope, 1)} ${op} ${numExpr(g, scope, 1)}`;
}

function predicate(g: Gen, scope: Ref[], depth: number): string {
  const choice = int(g, 0, depth > 0 ? 8 : 4);
  switch (choice) {
    case 0:
    case 1:
      return comparison(g, scope);
    case 2: {
      const r = pick(g, scope);
      return `${refSql(r)} IS ${chance(g, 50) ? 'NOT ' : ''}NULL`;
    }
    case 3: {
      const r = pick(g, scope);
      if (r.col.kind === 'bool') return `${refSql(r)} IS NOT TRUE`;
      const n = int(g, 1, 3);
      const items = Array.from({ length: n }, () => typedLiteral(g, r.col.kind));
      if (chance(g, 20)) items.push('NULL');
      return `${refSql(r)} ${chance(g, 30) ? 'NOT ' : ''}IN (${items.join(', ')})`;
    }
    case 4: {
      const text = refsOf(scope, ['text']);
      if (text.length > 0 && chance(g, 50)) {
        const pat = pick(g, ["'a%'", "'%b'", "'_'", "'%'", "'a_'", "'%a%'", "''"]);
        return `${refSql(pick(g, text))} ${chance(g, 30) ? 'NOT ' : ''}LIKE ${pat}`;
      }
      const lo = int(g, -3, 3);
      return `${numExpr(g, scope, 1)} ${chance(g, 20) ? 'NOT ' : ''}BETWEEN ${lo} AND ${lo + int(g, 0, 5)}`;
    }
    case 5:
      return `(${predicate(g, scope, depth - 1)} AND ${predicate(g, scope, depth - 1)})`;
    case 6:
      return `(${predicate(g, scope, depth - 1)} OR ${predicate(g, scope, depth - 1)})`;
    case 7:
      return `NOT (${predicate(g, scope, depth - 1)})`;
    default:
      return `(${predicate(g, scope, depth - 1)} ${pick(g, ['AND', 'OR'])} ${comparison(g, scope)})`;
  }
}

// ---------------------------------------------------------------------------------------------
// Queries

interface From {
  sql: string;
  scope: Ref[];
}

function scopeOf(t: Table, alias: string): Ref[] {
  return t.columns.map((col) => ({ alias, col }));
}

function genFrom(g: Gen, tables: Table[]): From {
  const t1 = pick(g, tables);
  if (chance(g, 45)) return { sql: `${t1.name} a`, scope: scopeOf(t1, 'a') };
  const t2 = pick(g, tables);
  const left = scopeOf(t1, 'a');
  const right = scopeOf(t2, 'b');
  const scope = [...left, ...right];
  const kind = pick(g, ['JOIN', 'LEFT JOIN', 'FULL JOIN'] as const);
  let on: string;
  if (kind === 'FULL JOIN') {
    // PostgreSQL runs FULL JOIN only on hashable/mergeable conditions.
    on = 'a.k = b.k';
  } else {
    const c = int(g, 0, 3);
    on =
      c === 0
        ? 'a.k = b.k'
        : c === 1
          ? `a.k = b.k AND ${predicate(g, scope, 1)}`
          : c === 2
            ? `a.k ${pick(g, ['<', '<=', '<>'])} b.k`
            : predicate(g, scope, 1);
  }
  let sql = `${t1.name} a ${kind} ${t2.name} b ON ${on}`;
  if (tables.length > 2 && chance(g, 25)) {
    const t3 = pick(g, tables);
    scope.push(...scopeOf(t3, 'c'));
    sql += ` ${pick(g, ['JOIN', 'LEFT JOIN'])} ${t3.name} c ON c.k = ${pick(g, ['a', 'b'])}.k`;
  }
  return { sql, scope };
}

/** A WHERE predicate, sometimes with a subquery over another table. */
function genWhere(g: Gen, tables: Table[], from: From): string {
  const outer = from.scope;
  const sub = pick(g, tables);
  const subScope = scopeOf(sub, 's');
  switch (int(g, 0, 6)) {
    case 0: {
      const filter = chance(g, 50) ? ` WHERE ${predicate(g, subScope, 1)}` : '';
      const k = pick(g, refsOf(outer, ['int']));
      return `${refSql(k)} ${chance(g, 35) ? 'NOT ' : ''}IN (SELECT s.k FROM ${sub.name} s${filter})`;
    }
    case 1: {
      const k = pick(g, refsOf(outer, ['int']));
      const extra = chance(g, 50) ? ` AND ${predicate(g, subScope, 1)}` : '';
      return `${chance(g, 35) ? 'NOT ' : ''}EXISTS (SELECT 1 FROM ${sub.name} s WHERE s.k = ${refSql(k)}${extra})`;
    }
    case 2: {
      const nums = refsOf(subScope, NUMERIC_KINDS);
      const agg = pick(g, ['max', 'min', 'sum', 'count']);
      const arg = agg === 'count' || nums.length === 0 ? 's.k' : refSql(pick(g, nums));
      return `${numExpr(g, outer, 1)} ${pick(g, CMP)} (SELECT ${agg}(${arg}) FROM ${sub.name} s)`;
    }
    default:
      return predicate(g, outer, 2);
  }
}

function genSelect(g: Gen, tables: Table[]): string {
  const from = genFrom(g, tables);
  const where = chance(g, 55) ? ` WHERE ${genWhere(g, tables, from)}` : '';
  if (chance(g, 35)) return genGroupBy(g, from, where);
  const n = int(g, 1, 3);
  const items: string[] = [];
  for (let i = 0; i < n; i++) {
    const e = anyExpr(g, from.scope);
    items.push(chance(g, 40) ? `${e.sql} AS x${i}` : e.sql);
  }
  if (chance(g, 15)) {
    // Correlated scalar subquery in the select list.
    const sub = pick(g, tables);
    const k = refSql(pick(g, refsOf(from.scope, ['int'])));
    items.push(`(SELECT count(*) FROM ${sub.name} s WHERE s.k = ${k}) AS cnt`);
  }
  const distinct = chance(g, 25) ? 'DISTINCT ' : '';
  return `SELECT ${distinct}${items.join(', ')} FROM ${from.sql}${where}${genOrderLimit(g, items.length)}`;
}

function genGroupBy(g: Gen, from: From, where: string): string {
  const nKeys = int(g, 0, 2);
  const keys: string[] = [];
  for (let i = 0; i < nKeys; i++) {
    const k = refSql(pick(g, from.scope));
    if (!keys.includes(k)) keys.push(k);
  }
  const nums = refsOf(from.scope, NUMERIC_KINDS);
  const ordered = from.scope.filter((r) => r.col.kind !== 'bool');
  const aggs: string[] = [];
  const nAggs = int(g, 1, 3);
  for (let i = 0; i < nAggs; i++) {
    const c = int(g, 0, 6);
    if (c === 0) aggs.push('count(*)');
    else if (c === 1) aggs.push(`count(${refSql(pick(g, from.scope))})`);
    else if (c === 2 && nums.length > 0) aggs.push(`sum(${refSql(pick(g, nums))})`);
    else if (c === 3 && nums.length > 0) aggs.push(`avg(${refSql(pick(g, nums))})`);
    else if (c === 4 && ordered.length > 0) aggs.push(`min(${refSql(pick(g, ordered))})`);
    else if (c === 5 && ordered.length > 0) aggs.push(`max(${refSql(pick(g, ordered))})`);
    else aggs.push(`count(DISTINCT ${refSql(pick(g, from.scope))})`);
  }
  const items = [...keys, ...aggs];
  let sql = `SELECT ${items.join(', ')} FROM ${from.sql}${where}`;
  if (keys.length > 0) sql += ` GROUP BY ${keys.join(', ')}`;
  if (chance(g, 40)) {
    const having =
      nums.length > 0 && chance(g, 50)
        ? `sum(${refSql(pick(g, nums))}) ${pick(g, CMP)} ${int(g, -5, 20)}`
        : `count(*) ${pick(g, CMP)} ${int(g, 0, 3)}`;
    sql += ` HAVING ${having}`;
  }
  return sql + genOrderLimit(g, items.length);
}

/** ORDER BY every output column (so the order is total) and LIMIT, or nothing. */
function genOrderLimit(g: Gen, nCols: number): string {
  if (!chance(g, 40)) return '';
  const keys = Array.from({ length: nCols }, (_, i) => {
    const dir = pick(g, ['', ' DESC', ' ASC NULLS FIRST', ' DESC NULLS LAST']);
    return `${i + 1}${dir}`;
  });
  const limit = chance(g, 70) ? ` LIMIT ${int(g, chance(g, 5) ? 0 : 1, 8)}` : '';
  const offset = limit && chance(g, 20) ? ` OFFSET ${int(g, 0, 2)}` : '';
  return ` ORDER BY ${keys.join(', ')}${limit}${offset}`;
}

function genSetOp(g: Gen, tables: Table[]): string {
  const t1 = pick(g, tables);
  const t2 = pick(g, tables);
  // Same-kind columns on both sides, so equal values print alike.
  const shared = t1.columns.filter(
    (c) => c.name !== 'k' && t2.columns.some((d) => d.kind === c.kind && d.name !== 'k'),
  );
  const leftCols = ['a.k'];
  const rightCols = ['b.k'];
  if (shared.length > 0 && chance(g, 60)) {
    const c = pick(g, shared);
    const d = pick(
      g,
      t2.columns.filter((x) => x.kind === c.kind && x.name !== 'k'),
    );
    leftCols.push(`a.${c.name}`);
    rightCols.push(`b.${d.name}`);
  }
  const lw = chance(g, 50) ? ` WHERE ${predicate(g, scopeOf(t1, 'a'), 1)}` : '';
  const rw = chance(g, 50) ? ` WHERE ${predicate(g, scopeOf(t2, 'b'), 1)}` : '';
  const op = pick(g, ['UNION', 'UNION ALL', 'EXCEPT', 'EXCEPT ALL', 'INTERSECT']);
  return (
    `SELECT ${leftCols.join(', ')} FROM ${t1.name} a${lw} ${op} ` +
    `SELECT ${rightCols.join(', ')} FROM ${t2.name} b${rw}${genOrderLimit(g, leftCols.length)}`
  );
}

export function genQuery(g: Gen, tables: Table[]): string {
  return chance(g, 20) ? genSetOp(g, tables) : genSelect(g, tables);
}

/** Two or three tables, t1..t3. */
export function genTables(g: Gen): Table[] {
  return ['t1', 't2', 't3'].slice(0, int(g, 2, 3)).map((n) => genTable(g, n));
}

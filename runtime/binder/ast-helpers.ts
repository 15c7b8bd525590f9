/**
 * SQL syntax helpers for binding: output column names as PostgreSQL's FigureColname derives
 * them, whether an expression contains an aggregate, and walking expressions and queries.
 */
import type * as A from '../sql/ast.js';
import type { DataType } from '../types/datatype.js';
import type { Catalog } from '../catalog/catalog.js';
import { isAggregateName } from './names.js';

/** Derived output column name, as PostgreSQL's FigureColname. */
export function deriveName(e: A.Expr): string {
  return figureName(e).name;
}

/**
 * The name and its strength: 2 for names taken from columns, functions and keywords, 1 for
 * fallbacks (a cast's type name, `case`), 0 for none (`?column?`). A cast keeps its operand's
 * strong name; CASE takes its ELSE branch's.
 */
function figureName(e: A.Expr): { name: string; strength: number } {
  const strong = (name: string): { name: string; strength: number } => ({ name, strength: 2 });
  switch (e.kind) {
    case 'identifier':
      return strong(e.parts[e.parts.length - 1]!.value);
    case 'function':
      return strong(e.name[e.name.length - 1]!.value);
    case 'cast': {
      const inner = figureName(e.expr);
      return inner.strength > 1 ? inner : { name: castName(e.dataType), strength: 1 };
    }
    case 'typedString':
      return { name: castName(e.dataType), strength: 1 };
    case 'case': {
      const inner = e.else ? figureName(e.else) : { name: '?column?', strength: 0 };
      return inner.strength > 1 ? inner : { name: 'case', strength: 1 };
    }
    case 'exists':
      return strong('exists');
    case 'array':
    case 'arraySubquery':
      return strong('array');
    case 'row':
      return strong('row');
    case 'fieldAccess':
      return strong(e.field.value);
    case 'subscript':
    case 'nested':
    case 'collate':
      return figureName(e.expr);
    case 'extract':
      return strong('extract');
    case 'atTimeZone':
      return strong('timezone');
    case 'subquery': {
      const b = e.query.body;
      if (b.kind === 'select' && b.select.projection.length >= 1) {
        const p = b.select.projection[0]!;
        if (p.kind === 'expr') return p.alias ? strong(p.alias.value) : figureName(p.expr);
      }
      return { name: '?column?', strength: 0 };
    }
    default:
      return { name: '?column?', strength: 0 };
  }
}

function castName(t: DataType): string {
  switch (t.kind) {
    case 'int2':
      return 'int2';
    case 'int4':
      return 'int4';
    case 'int8':
      return 'int8';
    case 'float4':
      return 'float4';
    case 'float8':
      return 'float8';
    case 'boolean':
      return 'bool';
    case 'varchar':
      return 'varchar';
    case 'timestamptz':
      return 'timestamptz';
    case 'array':
      return castName(t.element);
    default:
      return t.kind;
  }
}

/** Whether the expression (outside subqueries) calls an aggregate without OVER. */
export function containsAggregate(e: A.Expr, catalog: Catalog): boolean {
  let found = false;
  walkAst(e, (x) => {
    if (x.kind === 'function' && !x.over) {
      const n = x.name[x.name.length - 1]!.value;
      if (isAggregateName(n) && !catalog.functions.has(n)) found = true;
    }
  });
  return found;
}

/** Visits expression nodes, not descending into subqueries. */
export function walkAst(e: A.Expr, f: (e: A.Expr) => void): void {
  f(e);
  const w = (x: A.Expr | undefined): void => {
    if (x) walkAst(x, f);
  };
  switch (e.kind) {
    case 'binary':
    case 'isDistinctFrom':
      w(e.left);
      w(e.right);
      break;
    case 'unary':
      w(e.operand);
      break;
    case 'isNull':
    case 'isBool':
    case 'cast':
    case 'nested':
    case 'extract':
    case 'collate':
      w(e.expr);
      break;
    case 'between':
      w(e.expr);
      w(e.low);
      w(e.high);
      break;
    case 'like':
      w(e.expr);
      w(e.pattern);
      w(e.escape);
      break;
    case 'inList':
      w(e.expr);
      e.list.forEach(w);
      break;
    case 'inSubquery':
      w(e.expr);
      break;
    case 'quantified':
      w(e.left);
      if (e.right.kind === 'expr') w(e.right.expr);
      break;
    case 'case':
      w(e.operand);
      e.whens.forEach((x) => {
        w(x.condition);
        w(x.result);
      });
      w(e.else);
      break;
    case 'function':
      // Arguments of a window function's aggregate are still scanned: sum(count(*)) OVER ().
      e.args.forEach((a) => w(a.value));
      w(e.filter);
      e.orderBy.forEach((o) => w(o.expr));
      if (e.over?.kind === 'spec') {
        e.over.spec.partitionBy.forEach(w);
        e.over.spec.orderBy.forEach((o) => w(o.expr));
      }
      break;
    case 'array':
      e.elements.forEach(w);
      break;
    case 'subscript':
      w(e.expr);
      w(e.index);
      w(e.slice?.lower);
      w(e.slice?.upper);
      break;
    case 'fieldAccess':
      w(e.expr);
      break;
    case 'row':
      e.exprs.forEach(w);
      break;
    case 'atTimeZone':
      w(e.expr);
      w(e.zone);
      break;
    default:
      break;
  }
}

/** Whether a query mentions table `name` in any FROM (for recursive CTE detection). */
export function queryReferences(q: A.Query, name: string): boolean {
  const visit = (x: unknown): boolean => {
    if (Array.isArray(x)) return x.some(visit);
    if (x === null || typeof x !== 'object') return false;
    const o = x as { kind?: unknown; name?: unknown };
    if (o.kind === 'table' && Array.isArray(o.name) && o.name.length === 1) {
      const first = o.name[0] as { value?: unknown };
      if (first.value === name) return true;
    }
    return Object.values(x).some(visit);
  };
  return visit(q);
}

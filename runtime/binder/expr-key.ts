/**
 * Structural keys of bound expressions: two expressions with equal keys compute the same value
 * from the same row. Used to match SELECT/HAVING/ORDER BY expressions against GROUP BY keys and
 * to de-duplicate aggregate calls.
 */
import type { BoundExpr, SortKey } from '../plan/logical.js';
import { typeName } from '../types/datatype.js';
import { valueKey } from '../types/compare.js';

const subqueryIds = new WeakMap<object, number>();
let nextSubqueryId = 0;
function subqueryId(e: object): number {
  let id = subqueryIds.get(e);
  if (id === undefined) subqueryIds.set(e, (id = nextSubqueryId++));
  return id;
}

export function exprKey(e: BoundExpr): string {
  const t = typeName(e.type);
  switch (e.kind) {
    case 'column':
      return `#${e.index}`;
    case 'outerColumn':
      return `^${e.depth}.${e.index}`;
    case 'literal':
      return e.value === null ? `null:${t}` : `lit:${t}:${valueKey(e.value, e.type)}`;
    case 'param':
      return `$${e.index}:${t}`;
    case 'call':
    case 'native':
      return `${e.name}(${e.args.map(exprKey).join(',')}):${t}`;
    case 'binary':
      return `(${exprKey(e.left)} ${e.name} ${exprKey(e.right)})`;
    case 'unary':
      return `(${e.name} ${exprKey(e.arg)})`;
    case 'and':
    case 'or':
    case 'coalesce':
    case 'greatest':
    case 'least':
      return `${e.kind}(${e.args.map(exprKey).join(',')}):${t}`;
    case 'array':
      return `array(${e.elements.map(exprKey).join(',')}):${t}`;
    case 'row':
      return `row(${e.fields.map(exprKey).join(',')})`;
    case 'not':
      return `not(${exprKey(e.arg)})`;
    case 'isNull':
      return `isnull(${exprKey(e.arg)},${e.negated})`;
    case 'isBool':
      return `isbool(${exprKey(e.arg)},${String(e.value)},${e.negated})`;
    case 'isDistinct':
      return `isdistinct(${exprKey(e.left)},${exprKey(e.right)},${e.negated})`;
    case 'cast':
      return `cast(${exprKey(e.arg)} as ${t})`;
    case 'case':
      return `case(${e.whens.map((w) => `${exprKey(w.when)}=>${exprKey(w.then)}`).join(',')};${e.else ? exprKey(e.else) : ''}):${t}`;
    case 'nullif':
      return `nullif(${exprKey(e.left)},${exprKey(e.right)})`;
    case 'inList':
      return `in(${exprKey(e.arg)};${e.list.map(exprKey).join(',')};${e.negated})`;
    case 'like':
      return `like(${exprKey(e.arg)},${exprKey(e.pattern)},${e.escape ? exprKey(e.escape) : ''},${e.negated},${e.caseInsensitive},${e.similar})`;
    case 'regex':
      return `regex(${exprKey(e.arg)},${exprKey(e.pattern)},${e.negated},${e.caseInsensitive})`;
    case 'subscript':
      return `sub(${exprKey(e.arg)},${exprKey(e.index)})`;
    case 'slice':
      return `slice(${exprKey(e.arg)},${e.lower ? exprKey(e.lower) : ''},${e.upper ? exprKey(e.upper) : ''})`;
    case 'field':
      return `field(${exprKey(e.arg)},${e.fieldIndex})`;
    case 'quantifiedArray':
      return `q(${exprKey(e.left)},${exprKey(e.right)},${e.all})`;
    default:
      // Subqueries match only themselves.
      return `subquery@${subqueryId(e)}`;
  }
}

export function sortKeyKey(k: SortKey): string {
  return `${exprKey(k.expr)} ${k.desc ? 'desc' : 'asc'} ${k.nullsFirst ? 'nf' : 'nl'}`;
}

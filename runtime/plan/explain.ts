/**
 * EXPLAIN text for logical plans: one node per line, children indented under `└─`/`├─`, each
 * node with its arguments in braces. Column references print as the input's column names.
 */
import type { BoundExpr, PlanNode, SortKey, WindowCall } from './logical.js';
import { typeName } from '../types/datatype.js';
import type { DataType } from '../types/datatype.js';
import { formatValue } from '../types/format.js';

export function explainPlan(plan: PlanNode): string[] {
  const lines: string[] = [];
  walk(plan, '', '', lines);
  return lines;
}

function walk(p: PlanNode, first: string, rest: string, lines: string[]): void {
  lines.push(first + describe(p));
  const kids = children(p);
  kids.forEach((k, i) => {
    const last = i === kids.length - 1;
    walk(k, rest + (last ? '└─' : '├─'), rest + (last ? '  ' : '│ '), lines);
  });
}

function children(p: PlanNode): PlanNode[] {
  switch (p.kind) {
    case 'join':
    case 'setOp':
      return [p.left, p.right];
    case 'withCtes':
      return [...p.ctes.flatMap((c) => (c.recursive ? [c.plan, c.recursive] : [c.plan])), p.input];
    case 'scan':
    case 'values':
    case 'tableFunction':
    case 'cteScan':
      return [];
    default:
      return [p.input];
  }
}

function inputNames(p: PlanNode): string[] {
  switch (p.kind) {
    case 'join':
      return [...p.left.schema, ...p.right.schema].map((c) => c.name);
    case 'scan':
    case 'values':
    case 'tableFunction':
    case 'cteScan':
    case 'setOp':
    case 'withCtes':
      return p.schema.map((c) => c.name);
    default:
      return p.input.schema.map((c) => c.name);
  }
}

function describe(p: PlanNode): string {
  const names = inputNames(p);
  const e = (x: BoundExpr): string => exprText(x, names);
  const list = (xs: BoundExpr[]): string => `[${xs.map(e).join(', ')}]`;
  const keys = (ks: SortKey[]): string =>
    `[${ks.map((k) => `${e(k.expr)} ${k.desc ? 'DESC' : 'ASC'}${k.nullsFirst !== k.desc ? (k.nullsFirst ? ' NULLS FIRST' : ' NULLS LAST') : ''}`).join(', ')}]`;
  switch (p.kind) {
    case 'scan':
      return `TableScan { table: ${p.table}, columns: [${p.schema.map((c) => c.name).join(', ')}] }`;
    case 'values':
      return `Values { rows: [${p.rows.map((r) => `[${r.map(e).join(', ')}]`).join(', ')}] }`;
    case 'project':
      return `Project { exprs: ${list(p.exprs)} }`;
    case 'filter':
      return `Filter { predicate: ${e(p.predicate)} }`;
    case 'join': {
      const ln = p.left.schema.map((c) => c.name);
      const rn = p.right.schema.map((c) => c.name);
      const eq = p.leftKeys.map((l, i) => `${exprText(l, ln)} = ${exprText(p.rightKeys[i]!, rn)}`);
      const kind = p.leftKeys.length > 0 ? 'HashJoin' : 'NestedLoopJoin';
      return `${kind} { type: ${p.joinKind}${p.lateral ? ' lateral' : ''}${eq.length ? `, predicate: ${eq.join(' AND ')}` : ''}${p.condition ? `, condition: ${e(p.condition)}` : ''} }`;
    }
    case 'aggregate': {
      const aggs = p.aggs.map(
        (a) =>
          `${a.name}(${a.distinct ? 'DISTINCT ' : ''}${a.star ? '*' : a.args.map(e).join(', ')})${a.filter ? ` FILTER (WHERE ${e(a.filter)})` : ''}`,
      );
      const kind = p.groupKeys.length > 0 ? 'HashAgg' : 'SimpleAgg';
      return `${kind} { ${p.groupKeys.length ? `group_key: ${list(p.groupKeys)}, ` : ''}aggs: [${aggs.join(', ')}]${p.groupingSets ? `, grouping_sets: ${JSON.stringify(p.groupingSets)}` : ''} }`;
    }
    case 'window':
      return `Window { calls: [${p.calls
        .map(
          (c) =>
            `${c.name}(${c.args.map(e).join(', ')}) OVER (PARTITION BY ${list(c.partitionBy)} ORDER BY ${keys(c.orderBy)} ${c.frame.units.toUpperCase()}${c.frame.gap ? ` WITH GAP ${e(c.frame.gap)}` : ''})`,
        )
        .join(', ')}] }`;
    case 'projectSet':
      return `ProjectSet { calls: [${p.calls.map((c) => `${c.name}(${c.args.map(e).join(', ')})`).join(', ')}] }`;
    case 'sort':
      return `Sort { order: ${keys(p.keys)} }`;
    case 'limit':
      return `Limit { limit: ${p.limit ? e(p.limit) : 'ALL'}, offset: ${p.offset ? e(p.offset) : '0'}${p.withTies ? ', with_ties' : ''} }`;
    case 'distinct':
      return p.on ? `DistinctOn { on: ${list(p.on)} }` : 'Distinct';
    case 'setOp':
      return `${p.op[0]!.toUpperCase()}${p.op.slice(1)}${p.all ? 'All' : ''}`;
    case 'tableFunction':
      return `TableFunction { ${p.name}(${p.args.map(e).join(', ')}) }`;
    case 'timeWindow':
      return `${p.fn === 'tumble' ? 'Tumble' : 'Hop'} { time_col: ${e(p.timeCol)}, ${p.slide ? `slide: ${e(p.slide)}, ` : ''}size: ${e(p.size)} }`;
    case 'cteScan':
      return `CteScan { cte: ${p.cteId} }`;
    case 'withCtes':
      return `With { ctes: [${p.ctes.map((c) => c.id).join(', ')}] }`;
  }
}

function lit(v: import('../types/value.js').Value, t: DataType): string {
  if (v === null) return 'null';
  const s = t.kind === 'unknown' ? String(v) : formatValue(v, t, { timeZone: 'UTC' });
  const quoted = typeof v === 'string' || t.kind === 'unknown' ? `'${s.replace(/'/g, "''")}'` : s;
  return `${quoted}:${typeName(t)}`;
}

export function exprText(e: BoundExpr, names: string[]): string {
  const f = (x: BoundExpr): string => exprText(x, names);
  switch (e.kind) {
    case 'column':
      return names[e.index] ?? `$${e.index}`;
    case 'outerColumn':
      return `outer(${e.depth}).$${e.index}`;
    case 'literal':
      return lit(e.value, e.type);
    case 'param':
      return `$${e.index + 1}`;
    case 'call':
    case 'native':
      return `${e.name}(${e.args.map(f).join(', ')})`;
    case 'binary':
      return `(${f(e.left)} ${e.name} ${f(e.right)})`;
    case 'unary':
      return `(${e.name} ${f(e.arg)})`;
    case 'and':
    case 'or':
      return `(${e.args.map(f).join(` ${e.kind.toUpperCase()} `)})`;
    case 'not':
      return `NOT ${f(e.arg)}`;
    case 'isNull':
      return `(${f(e.arg)} IS ${e.negated ? 'NOT ' : ''}NULL)`;
    case 'isBool':
      return `(${f(e.arg)} IS ${e.negated ? 'NOT ' : ''}${e.value === null ? 'UNKNOWN' : e.value ? 'TRUE' : 'FALSE'})`;
    case 'isDistinct':
      return `(${f(e.left)} IS ${e.negated ? 'NOT ' : ''}DISTINCT FROM ${f(e.right)})`;
    case 'cast':
      return `${f(e.arg)}::${typeName(e.type)}`;
    case 'case':
      return `CASE ${e.whens.map((w) => `WHEN ${f(w.when)} THEN ${f(w.then)}`).join(' ')}${e.else ? ` ELSE ${f(e.else)}` : ''} END`;
    case 'coalesce':
    case 'greatest':
    case 'least':
      return `${e.kind}(${e.args.map(f).join(', ')})`;
    case 'nullif':
      return `nullif(${f(e.left)}, ${f(e.right)})`;
    case 'inList':
      return `(${f(e.arg)} ${e.negated ? 'NOT ' : ''}IN (${e.list.map(f).join(', ')}))`;
    case 'like':
      return `(${f(e.arg)} ${e.negated ? 'NOT ' : ''}${e.similar ? 'SIMILAR TO' : e.caseInsensitive ? 'ILIKE' : 'LIKE'} ${f(e.pattern)})`;
    case 'regex':
      return `(${f(e.arg)} ${e.negated ? '!' : ''}~${e.caseInsensitive ? '*' : ''} ${f(e.pattern)})`;
    case 'array':
      return `ARRAY[${e.elements.map(f).join(', ')}]`;
    case 'row':
      return `ROW(${e.fields.map(f).join(', ')})`;
    case 'subscript':
      return `${f(e.arg)}[${f(e.index)}]`;
    case 'slice':
      return `${f(e.arg)}[${e.lower ? f(e.lower) : ''}:${e.upper ? f(e.upper) : ''}]`;
    case 'field':
      return `(${f(e.arg)}).${e.fieldIndex}`;
    case 'quantifiedArray':
      return `(${f(e.left)} ${e.op} ${e.all ? 'ALL' : 'ANY'}(${f(e.right)}))`;
    case 'scalarSubquery':
      return '(subquery)';
    case 'exists':
      return `${e.negated ? 'NOT ' : ''}EXISTS(subquery)`;
    case 'quantifiedSubquery':
      return `(${f(e.left)} ${e.all ? 'ALL' : 'ANY'}(subquery))`;
    case 'arraySubquery':
      return 'ARRAY(subquery)';
  }
}

/** Window calls as a stream plan lists them: `f(args) OVER (PARTITION BY ... ORDER BY ...)`. */
export function windowCallsText(calls: readonly WindowCall[], names: string[]): string {
  return calls
    .map((c) => {
      // Empty clauses are left out rather than printed as `PARTITION BY ` / `ORDER BY `.
      const over = [
        c.partitionBy.length
          ? `PARTITION BY ${c.partitionBy.map((p) => exprText(p, names)).join(', ')}`
          : '',
        c.orderBy.length
          ? `ORDER BY ${c.orderBy.map((o) => exprText(o.expr, names) + (o.desc ? ' DESC' : ' ASC')).join(', ')}`
          : '',
        c.frame.gap ? `SESSION WITH GAP ${exprText(c.frame.gap, names)}` : '',
      ].filter(Boolean);
      return `${c.name}(${c.args.map((a) => exprText(a, names)).join(', ')}) OVER (${over.join(' ')})`;
    })
    .join(', ');
}

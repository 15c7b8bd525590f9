/**
 * AST → SQL text. The output parses back (with `parser.ts`) to an equal tree, ignoring `pos`.
 * Parentheses are added only where precedence requires them; parenthesised input is kept as
 * `nested` nodes, which print their own parentheses.
 */
import type { DataType } from '../types/datatype.js';
import type {
  ColumnDef,
  Expr,
  FormatEncode,
  FunctionArg,
  GroupByItem,
  Ident,
  ObjectName,
  OrderByItem,
  Query,
  Select,
  SelectItem,
  SetExpr,
  SqlOption,
  Statement,
  TableAlias,
  TableRef,
  WindowFrame,
  WindowFrameBound,
  WindowSpec,
} from './ast.js';
import { binaryPrec, NILADIC, Prec, RESERVED, unaryPrec } from './parser/grammar.js';

const SIMPLE = /^[a-z_][a-z0-9_$]*$/;

/** Words the parser reads as special syntax when followed by `(`; such function names need quotes. */
const SPECIAL_CALLS = new Set(['cast', 'try_cast', 'exists', 'array', 'row', 'extract', 'trim']);
const FUNCTION_RESERVED = new Set(
  [...RESERVED].filter(
    (w) =>
      !NILADIC.has(w) &&
      ![
        'authorization',
        'binary',
        'collation',
        'concurrently',
        'cross',
        'freeze',
        'full',
        'ilike',
        'inner',
        'is',
        'isnull',
        'join',
        'left',
        'like',
        'natural',
        'notnull',
        'outer',
        'overlaps',
        'right',
        'similar',
        'tablesample',
        'verbose',
      ].includes(w),
  ),
);

function quoteIdent(value: string): string {
  return `"${value.replace(/"/g, '""')}"`;
}

/** Identifier in a position where reserved words are not accepted (column, table, alias). */
export function printIdent(id: Ident): string {
  return id.quoted || !SIMPLE.test(id.value) || RESERVED.has(id.value)
    ? quoteIdent(id.value)
    : id.value;
}

/** Identifier in a position where any word is accepted (`AS label`, `a.b` after the first part). */
function looseIdent(id: Ident): string {
  return id.quoted || !SIMPLE.test(id.value) ? quoteIdent(id.value) : id.value;
}

function nameStr(name: ObjectName): string {
  return name.map((p, i) => (i === 0 ? printIdent(p) : looseIdent(p))).join('.');
}

function looseName(name: ObjectName): string {
  return name.map(looseIdent).join('.');
}

function functionName(name: ObjectName): string {
  return name
    .map((p, i) => {
      if (i > 0) return looseIdent(p);
      const reserved =
        name.length === 1 && (FUNCTION_RESERVED.has(p.value) || SPECIAL_CALLS.has(p.value));
      return p.quoted || !SIMPLE.test(p.value) || reserved ? quoteIdent(p.value) : p.value;
    })
    .join('.');
}

export function quoteString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

export function printType(t: DataType): string {
  switch (t.kind) {
    case 'int2':
      return 'SMALLINT';
    case 'int4':
      return 'INT';
    case 'int8':
      return 'BIGINT';
    case 'float4':
      return 'REAL';
    case 'float8':
      return 'DOUBLE PRECISION';
    case 'numeric':
      return t.precision !== undefined
        ? `NUMERIC(${t.precision}${t.scale !== undefined ? `, ${t.scale}` : ''})`
        : 'NUMERIC';
    case 'varchar':
      return t.length !== undefined ? `VARCHAR(${t.length})` : 'VARCHAR';
    case 'array':
      return `${printType(t.element)}[]`;
    case 'struct':
      return `STRUCT<${t.fields
        .map((f) => `${SIMPLE.test(f.name) ? f.name : quoteIdent(f.name)} ${printType(f.type)}`)
        .join(', ')}>`;
    case 'unknown':
      return 'TEXT';
    default:
      return t.kind.toUpperCase();
  }
}

// ---------------------------------------------------------------------------------------------
// Expressions

function exprPrec(e: Expr): number {
  switch (e.kind) {
    case 'binary':
      return binaryPrec(e.op);
    case 'unary':
      return unaryPrec(e.op);
    case 'quantified':
      return binaryPrec(e.op);
    case 'isNull':
    case 'isBool':
    case 'isDistinctFrom':
      return Prec.is;
    case 'between':
    case 'like':
    case 'inList':
    case 'inSubquery':
      return Prec.like;
    case 'atTimeZone':
      return Prec.at;
    case 'collate':
      return Prec.collate;
    case 'subscript':
      return Prec.subscript;
    case 'cast':
      return e.syntax === '::' ? Prec.cast : Prec.atom;
    case 'fieldAccess':
      return Prec.field;
    default:
      return Prec.atom;
  }
}

/** How far a prefix operator's operand reaches: it absorbs operators binding tighter than this. */
function absorb(e: Expr & { kind: 'unary' }): number {
  if (e.op === 'NOT') return Prec.and;
  if (e.op === '-' || e.op === '+') return Prec.exp;
  return Prec.other;
}

const wrap = (s: string): string => `(${s})`;

/**
 * Print `e` as an operand parsed by the parser's `expr(min)` (a fresh operand after an operator
 * or keyword). `follow` is the precedence of the operator printed right after it (0 if none).
 */
function operand(e: Expr, min: number, follow: number): string {
  if (e.kind === 'unary') {
    return follow <= absorb(e) ? expr(e, follow) : wrap(expr(e, 0));
  }
  return exprPrec(e) > min ? expr(e, follow) : wrap(expr(e, 0));
}

/** Print `e` as the left operand of an operator of precedence `lbp` (left-associative). */
function leftOperand(e: Expr, lbp: number): string {
  if (e.kind === 'unary') {
    return exprPrec(e) >= lbp && lbp <= absorb(e) ? expr(e, lbp) : wrap(expr(e, 0));
  }
  return exprPrec(e) >= lbp ? expr(e, lbp) : wrap(expr(e, 0));
}

function literal(e: Expr & { kind: 'literal' }): string {
  const v = e.value;
  switch (v.kind) {
    case 'null':
      return 'NULL';
    case 'boolean':
      return v.value ? 'TRUE' : 'FALSE';
    case 'number':
      return v.text;
    case 'string':
      return quoteString(v.value);
  }
}

function args(list: FunctionArg[]): string {
  return list
    .map((a) => (a.name ? `${looseIdent(a.name)} => ${expr(a.value, 0)}` : expr(a.value, 0)))
    .join(', ');
}

function exprList(list: Expr[]): string {
  return list.map((x) => expr(x, 0)).join(', ');
}

export function printOrderBy(items: OrderByItem[]): string {
  return items
    .map((o) => {
      let s = expr(o.expr, 0);
      if (o.asc === true) s += ' ASC';
      else if (o.asc === false) s += ' DESC';
      if (o.nullsFirst === true) s += ' NULLS FIRST';
      else if (o.nullsFirst === false) s += ' NULLS LAST';
      return s;
    })
    .join(', ');
}

function frameBound(b: WindowFrameBound): string {
  switch (b.kind) {
    case 'unboundedPreceding':
      return 'UNBOUNDED PRECEDING';
    case 'unboundedFollowing':
      return 'UNBOUNDED FOLLOWING';
    case 'currentRow':
      return 'CURRENT ROW';
    case 'preceding':
      return `${operand(b.offset, Prec.like, 0)} PRECEDING`;
    case 'following':
      return `${operand(b.offset, Prec.like, 0)} FOLLOWING`;
  }
}

function frame(f: WindowFrame): string {
  if (f.units === 'session')
    return `SESSION WITH GAP ${expr(f.gap ?? { kind: 'literal', value: { kind: 'null' } }, 0)}`;
  let s = f.units.toUpperCase();
  s += f.end
    ? ` BETWEEN ${frameBound(f.start)} AND ${frameBound(f.end)}`
    : ` ${frameBound(f.start)}`;
  if (f.exclude)
    s += ` EXCLUDE ${{ currentRow: 'CURRENT ROW', group: 'GROUP', ties: 'TIES', noOthers: 'NO OTHERS' }[f.exclude]}`;
  return s;
}

export function printWindowSpec(w: WindowSpec): string {
  const parts: string[] = [];
  if (w.baseName) parts.push(printIdent(w.baseName));
  if (w.partitionBy.length) parts.push(`PARTITION BY ${exprList(w.partitionBy)}`);
  if (w.orderBy.length) parts.push(`ORDER BY ${printOrderBy(w.orderBy)}`);
  if (w.frame) parts.push(frame(w.frame));
  return `(${parts.join(' ')})`;
}

function functionCall(e: Expr & { kind: 'function' }): string {
  const name = functionName(e.name);
  const plain =
    e.args.length === 0 &&
    !e.star &&
    !e.distinct &&
    e.orderBy.length === 0 &&
    e.name.length === 1 &&
    !e.name[0]!.quoted &&
    NILADIC.has(e.name[0]!.value);
  let s: string;
  if (plain) s = name;
  else {
    let inner = '';
    if (e.star) inner = '*';
    else {
      if (e.distinct) inner += 'DISTINCT ';
      if (e.variadic && e.args.length > 0) {
        const head = e.args.slice(0, -1);
        const last = e.args[e.args.length - 1]!;
        inner += [...(head.length ? [args(head)] : []), `VARIADIC ${args([last])}`].join(', ');
      } else inner += args(e.args);
    }
    if (e.orderBy.length) inner += ` ORDER BY ${printOrderBy(e.orderBy)}`;
    s = `${name}(${inner})`;
  }
  if (e.withinGroup) s += ` WITHIN GROUP (ORDER BY ${printOrderBy(e.withinGroup)})`;
  if (e.filter) s += ` FILTER (WHERE ${expr(e.filter, 0)})`;
  if (e.nullTreatment) s += e.nullTreatment === 'ignore' ? ' IGNORE NULLS' : ' RESPECT NULLS';
  if (e.over)
    s +=
      e.over.kind === 'named'
        ? ` OVER ${printIdent(e.over.name)}`
        : ` OVER ${printWindowSpec(e.over.spec)}`;
  return s;
}

const SYMBOLIC_START = /^[+\-*/<>=~!@#%^&|`?]/;

/** Print an expression; `follow` is the precedence of what the caller prints right after it. */
function expr(e: Expr, follow: number): string {
  switch (e.kind) {
    case 'identifier':
      return nameStr(e.parts);
    case 'literal':
      return literal(e);
    case 'typedString':
      return `${printType(e.dataType)} ${quoteString(e.value)}${e.intervalUnit ? ` ${e.intervalUnit}` : ''}`;
    case 'parameter':
      return `$${e.index}`;
    case 'binary': {
      const p = binaryPrec(e.op);
      return `${leftOperand(e.left, p)} ${e.op} ${operand(e.right, p, follow)}`;
    }
    case 'unary': {
      const inner =
        e.op === 'NOT'
          ? operand(e.operand, Prec.and, follow)
          : operand(e.operand, absorb(e), follow);
      if (e.op === 'NOT') return `NOT ${inner}`;
      return SYMBOLIC_START.test(inner) ? `${e.op} ${inner}` : `${e.op}${inner}`;
    }
    case 'isNull':
      return `${leftOperand(e.expr, Prec.is)} IS ${e.negated ? 'NOT ' : ''}NULL`;
    case 'isBool':
      return `${leftOperand(e.expr, Prec.is)} IS ${e.negated ? 'NOT ' : ''}${e.value === null ? 'UNKNOWN' : e.value ? 'TRUE' : 'FALSE'}`;
    case 'isDistinctFrom':
      return `${leftOperand(e.left, Prec.is)} IS ${e.negated ? 'NOT ' : ''}DISTINCT FROM ${operand(e.right, Prec.is, follow)}`;
    case 'between':
      return `${leftOperand(e.expr, Prec.like)} ${e.negated ? 'NOT ' : ''}BETWEEN ${e.symmetric ? 'SYMMETRIC ' : ''}${operand(e.low, Prec.like, Prec.and)} AND ${operand(e.high, Prec.like, follow)}`;
    case 'like': {
      const op = e.similar ? 'SIMILAR TO' : e.caseInsensitive ? 'ILIKE' : 'LIKE';
      let s = `${leftOperand(e.expr, Prec.like)} ${e.negated ? 'NOT ' : ''}${op} ${operand(e.pattern, Prec.like, e.escape ? 0 : follow)}`;
      if (e.escape) s += ` ESCAPE ${operand(e.escape, Prec.like, follow)}`;
      return s;
    }
    case 'inList':
      return `${leftOperand(e.expr, Prec.like)} ${e.negated ? 'NOT ' : ''}IN (${exprList(e.list)})`;
    case 'inSubquery':
      return `${leftOperand(e.expr, Prec.like)} ${e.negated ? 'NOT ' : ''}IN (${printQuery(e.query)})`;
    case 'exists':
      return `${e.negated ? 'NOT ' : ''}EXISTS (${printQuery(e.query)})`;
    case 'subquery':
      return `(${printQuery(e.query)})`;
    case 'quantified': {
      const right = e.right.kind === 'query' ? printQuery(e.right.query) : expr(e.right.expr, 0);
      return `${leftOperand(e.left, binaryPrec(e.op))} ${e.op} ${e.quantifier.toUpperCase()} (${right})`;
    }
    case 'cast':
      if (e.syntax === '::') return `${leftOperand(e.expr, Prec.cast)}::${printType(e.dataType)}`;
      return `${e.syntax === 'cast' ? 'CAST' : 'TRY_CAST'}(${expr(e.expr, 0)} AS ${printType(e.dataType)})`;
    case 'case': {
      let s = 'CASE';
      if (e.operand) s += ` ${expr(e.operand, 0)}`;
      for (const w of e.whens) s += ` WHEN ${expr(w.condition, 0)} THEN ${expr(w.result, 0)}`;
      if (e.else) s += ` ELSE ${expr(e.else, 0)}`;
      return `${s} END`;
    }
    case 'function':
      return functionCall(e);
    case 'extract':
      return `EXTRACT(${SIMPLE.test(e.field.toLowerCase()) ? e.field : quoteString(e.field)} FROM ${expr(e.expr, 0)})`;
    case 'array':
      return `ARRAY[${exprList(e.elements)}]`;
    case 'arraySubquery':
      return `ARRAY(${printQuery(e.query)})`;
    case 'subscript': {
      // A `::` cast right before `[` would take the brackets as part of its type.
      const base =
        e.expr.kind === 'cast' && e.expr.syntax === '::'
          ? wrap(expr(e.expr, 0))
          : leftOperand(e.expr, Prec.subscript);
      if (e.slice)
        return `${base}[${e.slice.lower ? expr(e.slice.lower, 0) : ''}:${e.slice.upper ? expr(e.slice.upper, 0) : ''}]`;
      return `${base}[${e.index ? expr(e.index, 0) : ''}]`;
    }
    case 'fieldAccess': {
      const k = e.expr.kind;
      // `t.*` (whole-row reference) stays unparenthesised; the parser reads it back the same way.
      if (k === 'identifier' && e.field.value === '*' && !e.field.quoted)
        return `${expr(e.expr, Prec.field)}.*`;
      const base =
        k === 'nested' || k === 'fieldAccess' || k === 'subscript'
          ? expr(e.expr, Prec.field)
          : wrap(expr(e.expr, 0));
      return `${base}.${e.field.value === '*' && !e.field.quoted ? '*' : looseIdent(e.field)}`;
    }
    case 'row':
      return e.explicit || e.exprs.length < 2
        ? `ROW(${exprList(e.exprs)})`
        : `(${exprList(e.exprs)})`;
    case 'atTimeZone':
      return `${leftOperand(e.expr, Prec.at)} AT TIME ZONE ${operand(e.zone, Prec.at, follow)}`;
    case 'collate':
      return `${leftOperand(e.expr, Prec.collate)} COLLATE ${e.collation.map(looseIdent).join('.')}`;
    case 'nested':
      return `(${expr(e.expr, 0)})`;
  }
}

export function printExpr(e: Expr): string {
  return expr(e, 0);
}

// ---------------------------------------------------------------------------------------------
// Queries

function alias(a: TableAlias | undefined): string {
  if (!a) return '';
  return ` AS ${printIdent(a.name)}${a.columns ? ` (${a.columns.map(printIdent).join(', ')})` : ''}`;
}

function tableRef(t: TableRef): string {
  switch (t.kind) {
    case 'table':
      return (
        nameStr(t.name) +
        (t.forSystemTimeAsOfProctime ? ' FOR SYSTEM_TIME AS OF PROCTIME()' : '') +
        alias(t.alias)
      );
    case 'subquery':
      return `${t.lateral ? 'LATERAL ' : ''}(${printQuery(t.query)})${alias(t.alias)}`;
    case 'function':
      return `${t.lateral ? 'LATERAL ' : ''}${nameStr(t.name)}(${args(t.args)})${t.withOrdinality ? ' WITH ORDINALITY' : ''}${alias(t.alias)}`;
    case 'nested':
      return `(${tableRef(t.table)})${alias(t.alias)}`;
    case 'join': {
      const right = t.right.kind === 'join' ? `(${tableRef(t.right)})` : tableRef(t.right);
      let kw: string;
      if (t.joinType === 'cross') kw = 'CROSS JOIN';
      else kw = t.joinType === 'inner' ? 'JOIN' : `${t.joinType.toUpperCase()} JOIN`;
      if (t.constraint.kind === 'natural') kw = `NATURAL ${kw}`;
      if (t.asof) kw = `ASOF ${kw}`;
      let s = `${tableRef(t.left)} ${kw} ${right}`;
      if (t.constraint.kind === 'on') s += ` ON ${expr(t.constraint.expr, 0)}`;
      else if (t.constraint.kind === 'using')
        s += ` USING (${t.constraint.columns.map(printIdent).join(', ')})`;
      return s;
    }
  }
}

function selectItem(i: SelectItem): string {
  const except = (x?: Ident[]): string => (x ? ` EXCEPT (${x.map(printIdent).join(', ')})` : '');
  switch (i.kind) {
    case 'wildcard':
      return `*${except(i.except)}`;
    case 'qualifiedWildcard':
      return `${looseName(i.qualifier)}.*${except(i.except)}`;
    case 'expr':
      return expr(i.expr, 0) + (i.alias ? ` AS ${looseIdent(i.alias)}` : '');
  }
}

function groupingSets(sets: Expr[][]): string {
  return `(${sets.map((s) => `(${exprList(s)})`).join(', ')})`;
}

function groupByItem(g: GroupByItem): string {
  switch (g.kind) {
    case 'expr':
      return expr(g.expr, 0);
    case 'empty':
      return '()';
    case 'groupingSets':
      return `GROUPING SETS ${groupingSets(g.sets)}`;
    case 'rollup':
      return `ROLLUP ${groupingSets(g.sets)}`;
    case 'cube':
      return `CUBE ${groupingSets(g.sets)}`;
  }
}

function select(s: Select): string {
  let out = 'SELECT';
  if (s.distinct)
    out +=
      s.distinct.kind === 'distinct' ? ' DISTINCT' : ` DISTINCT ON (${exprList(s.distinct.exprs)})`;
  if (s.projection.length) out += ` ${s.projection.map(selectItem).join(', ')}`;
  if (s.from.length) out += ` FROM ${s.from.map(tableRef).join(', ')}`;
  if (s.where) out += ` WHERE ${expr(s.where, 0)}`;
  if (s.groupBy.length) out += ` GROUP BY ${s.groupBy.map(groupByItem).join(', ')}`;
  if (s.having) out += ` HAVING ${expr(s.having, 0)}`;
  if (s.windows.length)
    out += ` WINDOW ${s.windows.map((w) => `${printIdent(w.name)} AS ${printWindowSpec(w.spec)}`).join(', ')}`;
  return out;
}

function setPrec(s: SetExpr): number {
  if (s.kind !== 'setOp') return 3;
  return s.op === 'intersect' ? 2 : 1;
}

function setExpr(s: SetExpr): string {
  switch (s.kind) {
    case 'select':
      return select(s.select);
    case 'values':
      return `VALUES ${s.rows.map((r) => `(${exprList(r)})`).join(', ')}`;
    case 'query':
      return `(${printQuery(s.query)})`;
    case 'setOp': {
      const p = setPrec(s);
      const l = setPrec(s.left) >= p ? setExpr(s.left) : `(${setExpr(s.left)})`;
      const r = setPrec(s.right) > p ? setExpr(s.right) : `(${setExpr(s.right)})`;
      let corr = '';
      if (s.corresponding) {
        corr = ' CORRESPONDING';
        if (s.corresponding.by) corr += ` BY (${s.corresponding.by.map(printIdent).join(', ')})`;
      }
      return `${l} ${s.op.toUpperCase()}${s.all ? ' ALL' : ''}${corr} ${r}`;
    }
  }
}

export function printQuery(q: Query): string {
  let out = '';
  if (q.with) {
    out += `WITH ${q.with.recursive ? 'RECURSIVE ' : ''}`;
    out += q.with.ctes
      .map((c) => {
        let s = printIdent(c.name);
        if (c.columns) s += ` (${c.columns.map(printIdent).join(', ')})`;
        s += ' AS ';
        if (c.materialized === true) s += 'MATERIALIZED ';
        else if (c.materialized === false) s += 'NOT MATERIALIZED ';
        return `${s}(${printQuery(c.query)})`;
      })
      .join(', ');
    out += ' ';
  }
  out += setExpr(q.body);
  if (q.orderBy.length) out += ` ORDER BY ${printOrderBy(q.orderBy)}`;
  if (q.offset) out += ` OFFSET ${expr(q.offset, 0)}`;
  if (q.limit) {
    if (q.withTies) out += ` FETCH FIRST ${operand(q.limit, Prec.other, 0)} ROWS WITH TIES`;
    else out += ` LIMIT ${expr(q.limit, 0)}`;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Statements

function options(opts: SqlOption[]): string {
  return opts.map((o) => `${looseName(o.name)} = ${optionValue(o.value)}`).join(', ');
}

/** Option and SET values: bare words are taken verbatim by the parser, reserved or not. */
function optionValue(e: Expr): string {
  if (e.kind === 'identifier' && e.parts.length === 1) return looseIdent(e.parts[0]!);
  return expr(e, 0);
}

function withOptions(opts: SqlOption[]): string {
  return opts.length ? ` WITH (${options(opts)})` : '';
}

function formatEncode(f: FormatEncode | undefined): string {
  if (!f) return '';
  return ` FORMAT ${f.format} ENCODE ${f.encode}${f.options.length ? ` (${options(f.options)})` : ''}`;
}

function columnDef(c: ColumnDef): string {
  let s = `${printIdent(c.name)} ${printType(c.dataType)}`;
  if (c.notNull === true) s += ' NOT NULL';
  else if (c.notNull === false) s += ' NULL';
  if (c.primaryKey) s += ' PRIMARY KEY';
  if (c.default) s += ` DEFAULT ${operand(c.default, Prec.cmp, 0)}`;
  if (c.generated) s += ` AS ${expr(c.generated, 0)}`;
  return s;
}

function returning(r: SelectItem[] | undefined): string {
  return r ? ` RETURNING ${r.map(selectItem).join(', ')}` : '';
}

function tableElements(
  columns: ColumnDef[],
  primaryKey: Ident[] | undefined,
  watermark: { column: Ident; expr: Expr } | undefined,
): string {
  const parts = columns.map(columnDef);
  if (primaryKey) parts.push(`PRIMARY KEY (${primaryKey.map(printIdent).join(', ')})`);
  if (watermark)
    parts.push(`WATERMARK FOR ${printIdent(watermark.column)} AS ${expr(watermark.expr, 0)}`);
  return parts.length || !watermark ? ` (${parts.join(', ')})` : '';
}

export function printStatement(s: Statement): string {
  switch (s.kind) {
    case 'query':
      return printQuery(s.query);
    case 'insert':
      return `INSERT INTO ${nameStr(s.table)}${s.columns ? ` (${s.columns.map(printIdent).join(', ')})` : ''} ${printQuery(s.source)}${returning(s.returning)}`;
    case 'update': {
      let out = `UPDATE ${nameStr(s.table)}${s.alias ? ` AS ${printIdent(s.alias)}` : ''} SET `;
      out += s.assignments
        .map((a) =>
          a.columns.length === 1
            ? `${printIdent(a.columns[0]!)} = ${expr(a.value, 0)}`
            : `(${a.columns.map(printIdent).join(', ')}) = ${expr(a.value, 0)}`,
        )
        .join(', ');
      if (s.from) out += ` FROM ${s.from.map(tableRef).join(', ')}`;
      if (s.where) out += ` WHERE ${expr(s.where, 0)}`;
      return out + returning(s.returning);
    }
    case 'delete': {
      let out = `DELETE FROM ${nameStr(s.table)}${s.alias ? ` AS ${printIdent(s.alias)}` : ''}`;
      if (s.using) out += ` USING ${s.using.map(tableRef).join(', ')}`;
      if (s.where) out += ` WHERE ${expr(s.where, 0)}`;
      return out + returning(s.returning);
    }
    case 'createTable': {
      let out = `CREATE TABLE ${s.ifNotExists ? 'IF NOT EXISTS ' : ''}${nameStr(s.name)}`;
      if (s.columns.length || s.primaryKey || s.watermark || !s.asQuery)
        out += tableElements(s.columns, s.primaryKey, s.watermark);
      if (s.appendOnly) out += ' APPEND ONLY';
      if (s.onConflict)
        out += ` ON CONFLICT ${{ overwrite: 'OVERWRITE', ignore: 'IGNORE', doUpdateIfNotNull: 'DO UPDATE IF NOT NULL' }[s.onConflict]}`;
      out += withOptions(s.withOptions) + formatEncode(s.format);
      if (s.asQuery) out += ` AS ${printQuery(s.asQuery)}`;
      return out;
    }
    case 'createView': {
      let out = `CREATE ${s.orReplace ? 'OR REPLACE ' : ''}${s.materialized ? 'MATERIALIZED ' : ''}VIEW ${s.ifNotExists ? 'IF NOT EXISTS ' : ''}${nameStr(s.name)}`;
      if (s.columns) out += ` (${s.columns.map(printIdent).join(', ')})`;
      out += `${withOptions(s.withOptions)} AS ${printQuery(s.query)}`;
      if (s.emitOnWindowClose) out += ' EMIT ON WINDOW CLOSE';
      return out;
    }
    case 'createSource': {
      let out = `CREATE SOURCE ${s.ifNotExists ? 'IF NOT EXISTS ' : ''}${nameStr(s.name)}`;
      if (s.columns.length || s.watermark) out += tableElements(s.columns, undefined, s.watermark);
      return out + withOptions(s.withOptions) + formatEncode(s.format);
    }
    case 'createSink': {
      let out = `CREATE SINK ${s.ifNotExists ? 'IF NOT EXISTS ' : ''}${nameStr(s.name)}`;
      if (s.into) out += ` INTO ${nameStr(s.into)}`;
      if (s.from) out += ` FROM ${nameStr(s.from)}`;
      if (s.asQuery) out += ` AS ${printQuery(s.asQuery)}`;
      return out + withOptions(s.withOptions) + formatEncode(s.format);
    }
    case 'createSchema':
      return `CREATE SCHEMA ${s.ifNotExists ? 'IF NOT EXISTS ' : ''}${nameStr(s.name)}`;
    case 'createFunction': {
      let out = `CREATE ${s.orReplace ? 'OR REPLACE ' : ''}FUNCTION ${nameStr(s.name)}(`;
      out += s.params
        .map((p) =>
          p.name ? `${printIdent(p.name)} ${printType(p.dataType)}` : printType(p.dataType),
        )
        .join(', ');
      out += ')';
      if (s.returns) out += ` RETURNS ${printType(s.returns)}`;
      if (s.language)
        out += ` LANGUAGE ${SIMPLE.test(s.language) ? s.language : quoteIdent(s.language)}`;
      if (s.options.length) out += ` ${s.options.join(' ')}`;
      out +=
        s.body.kind === 'as'
          ? ` AS ${quoteString(s.body.text)}`
          : ` RETURN ${expr(s.body.expr, 0)}`;
      return out;
    }
    case 'createIndex': {
      let out = `CREATE INDEX ${s.ifNotExists ? 'IF NOT EXISTS ' : ''}${nameStr(s.name)} ON ${nameStr(s.table)} (${printOrderBy(s.columns)})`;
      if (s.include.length) out += ` INCLUDE (${s.include.map(printIdent).join(', ')})`;
      if (s.distributedBy.length) out += ` DISTRIBUTED BY (${exprList(s.distributedBy)})`;
      return out;
    }
    case 'drop': {
      const names = s.names.map((n, i) => {
        const types = s.argTypes?.[i];
        return nameStr(n) + (types ? `(${types.map(printType).join(', ')})` : '');
      });
      return `DROP ${s.objectType.toUpperCase()} ${s.ifExists ? 'IF EXISTS ' : ''}${names.join(', ')}${s.cascade ? ' CASCADE' : ''}`;
    }
    case 'show': {
      if (s.what === 'variable') return `SHOW ${looseName(s.name ?? [])}`;
      if (s.what === 'create')
        return `SHOW CREATE ${(s.objectType ?? 'table').toUpperCase()} ${nameStr(s.name ?? [])}`;
      if (s.what === 'columns') return `SHOW COLUMNS FROM ${nameStr(s.name ?? [])}`;
      let out = `SHOW ${s.what.toUpperCase()}`;
      if (s.from) out += ` FROM ${nameStr(s.from)}`;
      if (s.like !== undefined) out += ` LIKE ${quoteString(s.like)}`;
      return out;
    }
    case 'set': {
      if (s.isDefault && s.values.length === 0 && s.scope === 'session' && s.name !== 'timezone')
        return `RESET ${looseIdentPath(s.name)}`;
      const head = `SET ${s.scope === 'local' ? 'LOCAL ' : ''}`;
      if (s.name === 'timezone')
        return `${head}TIME ZONE ${s.isDefault ? 'DEFAULT' : s.values.map(optionValue).join(', ')}`;
      return `${head}${looseIdentPath(s.name)} = ${s.isDefault ? 'DEFAULT' : s.values.map(optionValue).join(', ')}`;
    }
    case 'describe':
      return `DESCRIBE ${nameStr(s.name)}`;
    case 'explain': {
      const simple = s.options.every((o) => o === 'ANALYZE' || o === 'VERBOSE');
      const opts =
        s.options.length === 0
          ? ''
          : simple
            ? `${s.options.join(' ')} `
            : `(${s.options.join(', ')}) `;
      return `EXPLAIN ${opts}${printStatement(s.statement)}`;
    }
    case 'flush':
      return 'FLUSH';
    case 'begin':
      return `BEGIN${s.modes?.length ? ` ${s.modes.join(', ')}` : ''}`;
    case 'startTransaction':
      return `START TRANSACTION${s.modes?.length ? ` ${s.modes.join(', ')}` : ''}`;
    case 'commit':
      return 'COMMIT';
    case 'rollback':
      return 'ROLLBACK';
  }
}

function looseIdentPath(name: string): string {
  return name
    .split('.')
    .map((p) => (SIMPLE.test(p) ? p : quoteIdent(p)))
    .join('.');
}

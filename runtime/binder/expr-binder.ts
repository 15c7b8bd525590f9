/**
 * Binds scalar expressions: resolves columns through scopes (correlated references become
 * `outerColumn`), types literals, resolves operators and functions with PostgreSQL's implicit
 * coercion, and collects aggregate and window calls of the enclosing SELECT.
 */
import type * as A from '../sql/ast.js';
import type { DataType } from '../types/datatype.js';
import { T, arrayOf, isString, typeName, typesEqual } from '../types/datatype.js';
import type { Value } from '../types/value.js';
import { canImplicitCast, commonType } from '../types/coerce.js';
import { Decimal } from '../types/numeric.js';
import { parseValue } from '../types/parse.js';
import { castValue, canCast } from '../types/cast.js';
import { parseInterval } from '../types/interval.js';
import {
  resolveBinaryOperator,
  resolveUnaryOperator,
  type ResolvedOperator,
} from '../expr/operators.js';
import { lookupAggregate } from '../functions/index.js';
import { SqlError, SqlState } from '../errors.js';
import type { BoundExpr } from '../plan/logical.js';
import { Scope, type ScopeColumn } from './scope.js';
import { exprKey } from './expr-key.js';
import { childrenOf } from '../plan/bound.js';
import { compile } from '../expr/eval.js';
import type { AggContext, CoerceMode, ExprContext } from './expr-context.js';
import { CallBinder, FOLDABLE } from './call-binder.js';

const INT4_MAX = 2147483647n;
const INT8_MAX = 9223372036854775807n;

export class ExprBinder extends CallBinder {
  bind(e: A.Expr, ctx: ExprContext): BoundExpr {
    if (
      ctx.agg &&
      e.kind !== 'literal' &&
      e.kind !== 'typedString' &&
      e.kind !== 'parameter' &&
      !isAggOrWindowCall(e)
    ) {
      const match = this.matchGroupKey(e, ctx, ctx.agg);
      if (match) return match;
    }
    return this.fold(this.bindInner(e, ctx));
  }

  /**
   * Constant folding, as PostgreSQL's planner does: an immutable operation on literals is
   * evaluated now (so `0.5 / 0` fails even when no row is read).
   */
  protected fold(e: BoundExpr): BoundExpr {
    if (!FOLDABLE.has(e.kind)) return e;
    if (e.kind === 'call' && e.fn.volatile) return e;
    const kids = childrenOf(e);
    if (kids.length === 0 || !kids.every((k) => k.kind === 'literal' && k.type.kind !== 'unknown'))
      return e;
    let value;
    try {
      value = compile(e)([], {
        ctx: this.ctxEval,
        params: [],
        outer: [],
        ctes: new Map(),
        scan: () => [],
        subqueryCache: new Map(),
        runPlan: () => [],
      });
    } catch (err) {
      if (this.binder.describeOnly && err instanceof SqlError) return e;
      throw err;
    }
    return { kind: 'literal', value, type: e.type };
  }

  /** In an aggregated query, an expression equal to a GROUP BY key reads that key. */
  private matchGroupKey(e: A.Expr, ctx: ExprContext, agg: AggContext): BoundExpr | undefined {
    let b: BoundExpr;
    try {
      b = this.fold(
        this.bindInner(e, {
          scope: agg.inputScope,
          clause: ctx.clause,
          aggAllowed: false,
          fnParams: ctx.fnParams,
        }),
      );
    } catch (err) {
      // Not bindable over the input rows (it contains an aggregate, say): not a group key.
      if (err instanceof SqlError) return undefined;
      throw err;
    }
    const i = agg.groupKeyKeys.indexOf(exprKey(b));
    return i >= 0 ? { kind: 'column', index: i, type: b.type } : undefined;
  }

  bindCondition(e: A.Expr, ctx: ExprContext, clause: string): BoundExpr {
    const b = this.bind(e, ctx);
    if (b.type.kind === 'unknown' || b.type.kind === 'boolean')
      return this.coerce(b, T.boolean, 'implicit', e.pos);
    throw new SqlError(
      SqlState.datatypeMismatch,
      `argument of ${clause} must be type boolean, not type ${typeName(b.type)}`,
      e.pos,
    );
  }

  /** Coerces `e` to `to`, folding untyped literals and failing when no cast of `mode` exists. */
  coerce(e: BoundExpr, to: DataType, mode: CoerceMode, pos?: number): BoundExpr {
    if (to.kind === 'unknown') return e;
    if (typesEqual(e.type, to) && !(mode !== 'implicit' && hasTypmod(to))) return e;
    if (e.kind === 'literal' && (e.value === null || e.type.kind === 'unknown')) {
      if (e.value === null) return { kind: 'literal', value: null, type: to };
      if (mode === 'explicit' && hasTypmod(to)) {
        // An explicit cast applies the type modifier as a cast does (varchar(n) truncates).
        const base = { kind: to.kind } as DataType;
        const v = this.parseLiteral(e.value as string, base, pos);
        return { kind: 'literal', value: castValue(v, base, to, this.ctxEval), type: to };
      }
      return { kind: 'literal', value: this.parseLiteral(e.value as string, to, pos), type: to };
    }
    if (e.kind === 'param' && e.type.kind === 'unknown') {
      this.binder.noteParamType(e.index, to);
      return { ...e, type: to };
    }
    const kind = e.type.kind === 'unknown' ? 'implicit' : canCast(e.type, to);
    const ok =
      mode === 'explicit'
        ? kind !== undefined
        : mode === 'assignment'
          ? kind === 'implicit' || kind === 'assignment' || canImplicitCast(e.type, to)
          : canImplicitCast(e.type, to);
    if (!ok) {
      if (mode === 'explicit' || kind === undefined)
        throw new SqlError(
          SqlState.cannotCoerce,
          `cannot cast type ${typeName(e.type)} to ${typeName(to)}`,
          pos,
        );
      throw new SqlError(
        SqlState.datatypeMismatch,
        `cannot cast type ${typeName(e.type)} to ${typeName(to)} implicitly`,
        pos,
      );
    }
    if (e.kind === 'literal') {
      const v = castValue(e.value, e.type, to, this.ctxEval);
      return { kind: 'literal', value: v, type: to };
    }
    return { kind: 'cast', arg: e, from: e.type, type: to };
  }

  private parseLiteral(text: string, to: DataType, pos?: number): Value {
    try {
      return parseValue(text, to, this.ctxEval);
    } catch (err) {
      if (err instanceof SqlError && err.position === undefined) err.position = pos;
      throw err;
    }
  }

  equality(l: BoundExpr, r: BoundExpr, pos?: number): BoundExpr {
    return this.binaryOp('=', l, r, pos);
  }

  /** Resolves `=` for two types (after coercing both to their common type). */
  resolveEq(lt: DataType, rt: DataType, pos?: number): { op: ResolvedOperator; type: DataType } {
    const t = commonType([lt, rt]) ?? lt;
    const tt = t.kind === 'unknown' ? T.text : t;
    const op = resolveBinaryOperator('=', tt, tt);
    if (!op)
      throw new SqlError(
        SqlState.undefinedFunction,
        `operator does not exist: ${typeName(lt)} = ${typeName(rt)}`,
        pos,
      );
    return { op, type: tt };
  }

  binaryOp(opName: A.BinaryOperator, left: BoundExpr, right: BoundExpr, pos?: number): BoundExpr {
    const op = resolveBinaryOperator(opName, left.type, right.type);
    if (!op)
      throw new SqlError(
        SqlState.undefinedFunction,
        `operator does not exist: ${typeName(left.type)} ${opName} ${typeName(right.type)}`,
        pos,
        undefined,
        'No operator matches the given name and argument types. You might need to add explicit type casts.',
      );
    const l = this.coerce(left, op.leftType, 'implicit', pos);
    const r = this.coerce(right, op.rightType, 'implicit', pos);
    return { kind: 'binary', name: opName, op, left: l, right: r, type: op.returnType };
  }

  // -------------------------------------------------------------------------------------------

  protected bindInner(e: A.Expr, ctx: ExprContext): BoundExpr {
    switch (e.kind) {
      case 'nested':
        return this.bind(e.expr, ctx);
      case 'identifier':
        return this.bindIdentifier(e, ctx);
      case 'literal':
        return this.bindLiteral(e.value, e.pos);
      case 'typedString': {
        const value =
          e.dataType.kind === 'interval'
            ? this.wrap(() => parseInterval(e.value, e.intervalUnit), e.pos)
            : this.parseLiteral(e.value, e.dataType, e.pos);
        return { kind: 'literal', value, type: e.dataType };
      }
      case 'parameter': {
        const sub = this.fnParams(ctx)?.byIndex[e.index - 1];
        if (sub) return sub;
        if (e.index < 1)
          throw new SqlError(
            SqlState.undefinedParameter,
            `there is no parameter $${e.index}`,
            e.pos,
          );
        return { kind: 'param', index: e.index - 1, type: this.binder.paramValueType(e.index - 1) };
      }
      case 'binary':
        return this.bindBinary(e, ctx);
      case 'unary':
        return this.bindUnary(e, ctx);
      case 'isNull':
        return { kind: 'isNull', arg: this.bind(e.expr, ctx), negated: e.negated, type: T.boolean };
      case 'isBool': {
        const arg = this.bindCondition(e.expr, ctx, 'IS TRUE');
        return { kind: 'isBool', arg, value: e.value, negated: e.negated, type: T.boolean };
      }
      case 'isDistinctFrom': {
        const l = this.bind(e.left, ctx);
        const r = this.bind(e.right, ctx);
        const { op, type } = this.resolveEq(l.type, r.type, e.pos);
        return {
          kind: 'isDistinct',
          left: this.coerce(l, type, 'implicit', e.pos),
          right: this.coerce(r, type, 'implicit', e.pos),
          negated: e.negated,
          eq: op,
          type: T.boolean,
        };
      }
      case 'between': {
        const x = this.bind(e.expr, ctx);
        const lo = this.bind(e.low, ctx);
        const hi = this.bind(e.high, ctx);
        const t = commonType([x.type, lo.type, hi.type]) ?? x.type;
        const cx = this.coerce(x, t, 'implicit', e.pos);
        const clo = this.coerce(lo, t, 'implicit', e.pos);
        const chi = this.coerce(hi, t, 'implicit', e.pos);
        const range = (a: BoundExpr, b: BoundExpr): BoundExpr => ({
          kind: 'and',
          args: [this.binaryOp('>=', cx, a, e.pos), this.binaryOp('<=', cx, b, e.pos)],
          type: T.boolean,
        });
        let out: BoundExpr = range(clo, chi);
        if (e.symmetric) out = { kind: 'or', args: [out, range(chi, clo)], type: T.boolean };
        return e.negated ? { kind: 'not', arg: out, type: T.boolean } : out;
      }
      case 'like': {
        const arg = this.coerceString(this.bind(e.expr, ctx), e.pos);
        const pattern = this.coerceString(this.bind(e.pattern, ctx), e.pos);
        const escape = e.escape ? this.coerceString(this.bind(e.escape, ctx), e.pos) : null;
        return {
          kind: 'like',
          arg,
          pattern,
          escape,
          negated: e.negated,
          caseInsensitive: e.caseInsensitive,
          similar: e.similar,
          type: T.boolean,
        };
      }
      case 'inList': {
        const x = this.bind(e.expr, ctx);
        const list = e.list.map((i) => this.bind(i, ctx));
        const t = commonType([x.type, ...list.map((l) => l.type)]);
        if (!t)
          throw new SqlError(
            SqlState.datatypeMismatch,
            `IN types ${typeName(x.type)} and ${typeName(list.find((l) => commonType([x.type, l.type]) === undefined)?.type ?? x.type)} cannot be matched`,
            e.pos,
          );
        const tt = t.kind === 'unknown' ? T.text : t;
        const { op } = this.resolveEq(tt, tt, e.pos);
        return {
          kind: 'inList',
          arg: this.coerce(x, tt, 'implicit', e.pos),
          list: list.map((l) => this.coerce(l, tt, 'implicit', e.pos)),
          negated: e.negated,
          eq: op,
          type: T.boolean,
        };
      }
      case 'inSubquery':
        return this.bindQuantifiedSubquery(
          e.expr,
          e.negated ? '<>' : '=',
          e.negated ? 'all' : 'any',
          e.query,
          ctx,
          e.pos,
        );
      case 'exists': {
        const sub = this.bindSubquery(e.query, ctx);
        return {
          kind: 'exists',
          plan: sub.plan,
          negated: e.negated,
          correlated: sub.correlated,
          type: T.boolean,
        };
      }
      case 'subquery': {
        const sub = this.bindSubquery(e.query, ctx);
        if (sub.plan.schema.length !== 1)
          throw new SqlError(SqlState.syntaxError, 'subquery must return only one column', e.pos);
        return {
          kind: 'scalarSubquery',
          plan: sub.plan,
          correlated: sub.correlated,
          type: sub.plan.schema[0]!.type,
        };
      }
      case 'arraySubquery': {
        const sub = this.bindSubquery(e.query, ctx);
        if (sub.plan.schema.length !== 1)
          throw new SqlError(SqlState.syntaxError, 'subquery must return only one column', e.pos);
        return {
          kind: 'arraySubquery',
          plan: sub.plan,
          correlated: sub.correlated,
          type: arrayOf(sub.plan.schema[0]!.type),
        };
      }
      case 'quantified': {
        if (e.right.kind === 'query')
          return this.bindQuantifiedSubquery(e.left, e.op, e.quantifier, e.right.query, ctx, e.pos);
        const left = this.bind(e.left, ctx);
        let right = this.bind(e.right.expr, ctx);
        if (right.type.kind === 'unknown')
          right = this.coerce(
            right,
            arrayOf(left.type.kind === 'unknown' ? T.text : left.type),
            'implicit',
            e.pos,
          );
        if (right.type.kind !== 'array')
          throw new SqlError(
            SqlState.datatypeMismatch,
            'op ANY/ALL (array) requires array on right side',
            e.pos,
          );
        const elem = right.type.element;
        const op = resolveBinaryOperator(e.op, left.type, elem);
        if (!op)
          throw new SqlError(
            SqlState.undefinedFunction,
            `operator does not exist: ${typeName(left.type)} ${e.op} ${typeName(elem)}`,
            e.pos,
          );
        return {
          kind: 'quantifiedArray',
          left: this.coerce(left, op.leftType, 'implicit', e.pos),
          right: this.coerce(right, arrayOf(op.rightType), 'implicit', e.pos),
          op,
          all: e.quantifier === 'all',
          type: T.boolean,
        };
      }
      case 'cast': {
        // ARRAY[]::T[]: the cast supplies the element type an empty array lacks.
        if (e.expr.kind === 'array' && e.expr.elements.length === 0 && e.dataType.kind === 'array')
          return { kind: 'array', elements: [], type: e.dataType };
        const arg = this.bind(e.expr, ctx);
        return this.coerce(arg, e.dataType, 'explicit', e.pos);
      }
      case 'case':
        return this.bindCase(e, ctx);
      case 'function':
        return this.bindFunction(e, ctx);
      case 'extract': {
        const arg = this.bind(e.expr, ctx);
        return this.callScalar(
          'extract',
          [{ kind: 'literal', value: e.field.toLowerCase(), type: T.text }, arg],
          e.pos,
        );
      }
      case 'array': {
        const elems = e.elements.map((x) => this.bind(x, ctx));
        if (elems.length === 0)
          throw new SqlError(
            SqlState.indeterminateDatatype,
            'cannot determine type of empty array',
            e.pos,
            undefined,
            'Explicitly cast to the desired type, for example ARRAY[]::integer[].',
          );
        const t = commonType(elems.map((x) => x.type));
        if (!t)
          throw new SqlError(SqlState.datatypeMismatch, 'ARRAY types cannot be matched', e.pos);
        const et = t.kind === 'unknown' ? T.text : t;
        return {
          kind: 'array',
          elements: elems.map((x) => this.coerce(x, et, 'implicit', e.pos)),
          type: arrayOf(et),
        };
      }
      case 'subscript': {
        const arg = this.bind(e.expr, ctx);
        if (arg.type.kind !== 'array')
          throw new SqlError(
            SqlState.datatypeMismatch,
            `cannot subscript type ${typeName(arg.type)} because it does not support subscripting`,
            e.pos,
          );
        if (e.slice) {
          const lower = e.slice.lower
            ? this.coerce(this.bind(e.slice.lower, ctx), T.int4, 'implicit', e.pos)
            : null;
          const upper = e.slice.upper
            ? this.coerce(this.bind(e.slice.upper, ctx), T.int4, 'implicit', e.pos)
            : null;
          return { kind: 'slice', arg, lower, upper, type: arg.type };
        }
        const index = this.coerce(this.bind(e.index!, ctx), T.int4, 'implicit', e.pos);
        return { kind: 'subscript', arg, index, type: arg.type.element };
      }
      case 'fieldAccess': {
        const arg = this.bind(e.expr, ctx);
        if (arg.type.kind !== 'struct')
          throw new SqlError(
            SqlState.datatypeMismatch,
            `column notation .${e.field.value} applied to type ${typeName(arg.type)}, which is not a composite type`,
            e.pos,
          );
        const i = arg.type.fields.findIndex((f) => f.name === e.field.value);
        if (i < 0)
          throw new SqlError(
            SqlState.undefinedColumn,
            `column "${e.field.value}" not found in data type ${typeName(arg.type)}`,
            e.pos,
          );
        return { kind: 'field', arg, fieldIndex: i, type: arg.type.fields[i]!.type };
      }
      case 'row': {
        const fields = e.exprs.map((x) => {
          const b = this.bind(x, ctx);
          return b.type.kind === 'unknown' ? this.coerce(b, T.text, 'implicit') : b;
        });
        return {
          kind: 'row',
          fields,
          type: {
            kind: 'struct',
            fields: fields.map((f, i) => ({ name: `f${i + 1}`, type: f.type })),
          },
        };
      }
      case 'atTimeZone': {
        const arg = this.bind(e.expr, ctx);
        const zone = this.bind(e.zone, ctx);
        return this.callScalar(
          'timezone',
          [zone, arg.type.kind === 'unknown' ? this.coerce(arg, T.timestamptz, 'implicit') : arg],
          e.pos,
        );
      }
      case 'collate': {
        const c = e.collation.map((p) => p.value).join('.');
        if (!['C', 'POSIX', 'default', 'c', 'posix'].includes(c))
          throw new SqlError(
            SqlState.undefinedObject,
            `collation "${c}" for encoding "UTF8" does not exist`,
            e.pos,
          );
        return this.bind(e.expr, ctx);
      }
    }
  }

  private wrap<X>(f: () => X, pos?: number): X {
    try {
      return f();
    } catch (err) {
      if (err instanceof SqlError && err.position === undefined) err.position = pos;
      throw err;
    }
  }

  private coerceString(b: BoundExpr, pos?: number): BoundExpr {
    if (isString(b.type)) return b;
    if (b.type.kind === 'unknown') return this.coerce(b, T.text, 'implicit', pos);
    throw new SqlError(
      SqlState.undefinedFunction,
      `operator does not exist: ${typeName(b.type)} ~~ unknown`,
      pos,
      undefined,
      'No operator matches the given name and argument types. You might need to add explicit type casts.',
    );
  }

  bindLiteral(v: A.LiteralValue, pos?: number): BoundExpr {
    switch (v.kind) {
      case 'null':
        return { kind: 'literal', value: null, type: T.unknown };
      case 'boolean':
        return { kind: 'literal', value: v.value, type: T.boolean };
      case 'string':
        return { kind: 'literal', value: v.value, type: T.unknown };
      case 'number': {
        if (/^\d+$/.test(v.text)) {
          const n = BigInt(v.text);
          if (n <= INT4_MAX) return { kind: 'literal', value: Number(n), type: T.int4 };
          if (n <= INT8_MAX) return { kind: 'literal', value: n, type: T.int8 };
        }
        return {
          kind: 'literal',
          value: this.wrap(() => Decimal.parse(v.text), pos),
          type: T.numeric,
        };
      }
    }
  }

  private bindIdentifier(e: Extract<A.Expr, { kind: 'identifier' }>, ctx: ExprContext): BoundExpr {
    const parts = e.parts.map((p) => p.value);
    const fnParams = this.fnParams(ctx);
    if (parts.length === 1 && fnParams?.byName.has(parts[0]!))
      return fnParams.byName.get(parts[0]!)!;
    const name = parts[parts.length - 1]!;
    const qualifier = parts.length >= 2 ? parts[parts.length - 2]! : null;
    if (parts.length > 4)
      throw new SqlError(
        SqlState.syntaxError,
        `improper qualified name (too many dotted names): ${parts.join('.')}`,
        e.pos,
      );

    // Level 0: the current query. In an aggregated query, columns are only visible through
    // GROUP BY keys (matched before we get here) or inside aggregates.
    const first = ctx.agg ? ctx.agg.inputScope : ctx.scope;
    const idx = first.find(qualifier, name, e.pos);
    if (idx !== undefined) {
      if (ctx.agg) return this.bindColumnPostAgg(idx, first.columns[idx]!, ctx, e.pos);
      return { kind: 'column', index: idx, type: first.columns[idx]!.type };
    }
    let depth = 1;
    for (let s = (ctx.agg ? ctx.agg.postScope : ctx.scope).parent; s; s = s.parent, depth++) {
      const i = s.find(qualifier, name, e.pos);
      if (i !== undefined)
        return { kind: 'outerColumn', depth, index: i, type: s.columns[i]!.type };
    }
    // A single name that is a table in scope refers to the whole row.
    if (parts.length === 1) {
      const rowCols = first.columns
        .map((c, i) => ({ c, i }))
        .filter(({ c }) => c.qualifier === name && !c.hidden);
      if (rowCols.length > 0 && !ctx.agg) {
        return {
          kind: 'row',
          fields: rowCols.map(({ c, i }) => ({ kind: 'column', index: i, type: c.type })),
          type: {
            kind: 'struct',
            fields: rowCols.map(({ c }) => ({ name: c.name, type: c.type })),
          },
        };
      }
    }
    if (qualifier !== null) {
      let known = false;
      for (let s: Scope | null = first; s; s = s.parent)
        if (s.hasQualifier(qualifier)) known = true;
      if (!known)
        throw new SqlError(
          SqlState.undefinedTable,
          `missing FROM-clause entry for table "${qualifier}"`,
          e.pos,
        );
      throw new SqlError(
        SqlState.undefinedColumn,
        `column ${qualifier}.${name} does not exist`,
        e.pos,
      );
    }
    throw new SqlError(SqlState.undefinedColumn, `column "${name}" does not exist`, e.pos);
  }

  /** A plain input column referenced after aggregation: only valid as a GROUP BY key. */
  bindColumnPostAgg(idx: number, col: ScopeColumn, ctx: ExprContext, pos?: number): BoundExpr {
    const agg = ctx.agg!;
    const key = exprKey({ kind: 'column', index: idx, type: col.type });
    const g = agg.groupKeyKeys.indexOf(key);
    if (g >= 0) return { kind: 'column', index: g, type: col.type };
    throw new SqlError(
      SqlState.groupingError,
      `column "${col.qualifier ? `${col.qualifier}.` : ''}${col.name}" must appear in the GROUP BY clause or be used in an aggregate function`,
      pos,
    );
  }

  private bindBinary(e: Extract<A.Expr, { kind: 'binary' }>, ctx: ExprContext): BoundExpr {
    if (e.op === 'AND' || e.op === 'OR') {
      const l = this.bindCondition(e.left, ctx, e.op);
      const r = this.bindCondition(e.right, ctx, e.op);
      const kind = e.op === 'AND' ? 'and' : 'or';
      const args = [l, r].flatMap((x) => (x.kind === kind ? x.args : [x]));
      return { kind, args, type: T.boolean };
    }
    // Row comparisons: (a, b) = (c, d)
    if (
      e.left.kind === 'row' &&
      e.right.kind === 'row' &&
      ['=', '<>', '<', '<=', '>', '>='].includes(e.op)
    )
      return this.bindRowComparison(e.op, e.left.exprs, e.right.exprs, ctx, e.pos);
    const l = this.bind(e.left, ctx);
    const r = this.bind(e.right, ctx);
    if (e.op === '~' || e.op === '~*' || e.op === '!~' || e.op === '!~*') {
      if (
        (isString(l.type) || l.type.kind === 'unknown') &&
        (isString(r.type) || r.type.kind === 'unknown')
      )
        return {
          kind: 'regex',
          arg: this.coerceString(l, e.pos),
          pattern: this.coerceString(r, e.pos),
          negated: e.op.startsWith('!'),
          caseInsensitive: e.op.endsWith('*'),
          type: T.boolean,
        };
    }
    return this.binaryOp(e.op, l, r, e.pos);
  }

  private bindRowComparison(
    op: string,
    ls: A.Expr[],
    rs: A.Expr[],
    ctx: ExprContext,
    pos?: number,
  ): BoundExpr {
    if (ls.length !== rs.length)
      throw new SqlError(SqlState.syntaxError, 'unequal number of entries in row expressions', pos);
    const l = ls.map((x) => this.bind(x, ctx));
    const r = rs.map((x) => this.bind(x, ctx));
    if (op === '=' || op === '<>') {
      const eqs = l.map((x, i) => this.binaryOp(op as A.BinaryOperator, x, r[i]!, pos));
      return { kind: op === '=' ? 'and' : 'or', args: eqs, type: T.boolean };
    }
    // Lexicographic: a < c OR (a = c AND b < d) ...
    const strict = op === '<' || op === '<=' ? '<' : '>';
    let acc: BoundExpr = this.binaryOp(
      op as A.BinaryOperator,
      l[l.length - 1]!,
      r[r.length - 1]!,
      pos,
    );
    for (let i = l.length - 2; i >= 0; i--) {
      acc = {
        kind: 'or',
        args: [
          this.binaryOp(strict, l[i]!, r[i]!, pos),
          { kind: 'and', args: [this.binaryOp('=', l[i]!, r[i]!, pos), acc], type: T.boolean },
        ],
        type: T.boolean,
      };
    }
    return acc;
  }

  private bindUnary(e: Extract<A.Expr, { kind: 'unary' }>, ctx: ExprContext): BoundExpr {
    if (e.op === 'NOT') {
      const arg = this.bindCondition(e.operand, ctx, 'NOT');
      return { kind: 'not', arg, type: T.boolean };
    }
    // Fold negative numeric literals so -2147483648 is an int4.
    if (e.op === '-' && e.operand.kind === 'literal' && e.operand.value.kind === 'number')
      return this.bindNegativeLiteral(e.operand.value.text, e.pos);
    const arg = this.bind(e.operand, ctx);
    const op = resolveUnaryOperator(e.op, arg.type);
    if (!op)
      throw new SqlError(
        SqlState.undefinedFunction,
        `operator does not exist: ${e.op} ${typeName(arg.type)}`,
        e.pos,
        undefined,
        'No operator matches the given name and argument type. You might need to add an explicit type cast.',
      );
    return {
      kind: 'unary',
      name: e.op,
      op,
      arg: this.coerce(arg, op.argType, 'implicit', e.pos),
      type: op.returnType,
    };
  }

  private bindNegativeLiteral(text: string, pos?: number): BoundExpr {
    if (/^\d+$/.test(text)) {
      const n = -BigInt(text);
      if (n >= -INT4_MAX - 1n) return { kind: 'literal', value: Number(n), type: T.int4 };
      if (n >= -INT8_MAX - 1n) return { kind: 'literal', value: n, type: T.int8 };
    }
    return {
      kind: 'literal',
      value: this.wrap(() => Decimal.parse(text), pos).neg(),
      type: T.numeric,
    };
  }

  private bindCase(e: Extract<A.Expr, { kind: 'case' }>, ctx: ExprContext): BoundExpr {
    const operand = e.operand ? this.bind(e.operand, ctx) : null;
    const conds = e.whens.map((w) => {
      if (!operand) return this.bindCondition(w.condition, ctx, 'CASE/WHEN');
      return this.equality(operand, this.bind(w.condition, ctx), w.condition.pos);
    });
    const results = e.whens.map((w) => this.bind(w.result, ctx));
    const elseExpr = e.else ? this.bind(e.else, ctx) : null;
    const all = [...results, ...(elseExpr ? [elseExpr] : [])];
    const t = commonType(all.map((x) => x.type));
    if (!t)
      throw new SqlError(
        SqlState.datatypeMismatch,
        `CASE types ${[...new Set(all.map((x) => typeName(x.type)))].join(' and ')} cannot be matched`,
        e.pos,
      );
    const tt = t.kind === 'unknown' ? T.text : t;
    return {
      kind: 'case',
      whens: conds.map((c, i) => ({
        when: c,
        then: this.coerce(results[i]!, tt, 'implicit', e.pos),
      })),
      else: elseExpr ? this.coerce(elseExpr, tt, 'implicit', e.pos) : null,
      type: tt,
    };
  }

  private bindSubquery(
    q: A.Query,
    ctx: ExprContext,
  ): { plan: import('../plan/logical.js').PlanNode; correlated: boolean } {
    // Subqueries see the current row's columns as their outer scope.
    const outer = ctx.agg ? ctx.agg.postScope : ctx.scope;
    const bound = this.binder.bindQuery(q, outer);
    return { plan: bound.plan, correlated: planIsCorrelated(bound.plan) };
  }

  private bindQuantifiedSubquery(
    leftAst: A.Expr,
    opName: A.BinaryOperator,
    quantifier: 'any' | 'all',
    q: A.Query,
    ctx: ExprContext,
    pos?: number,
  ): BoundExpr {
    const sub = this.bindSubquery(q, ctx);
    if (
      leftAst.kind === 'row' &&
      sub.plan.schema.length === leftAst.exprs.length &&
      leftAst.exprs.length > 1
    )
      throw new SqlError(
        SqlState.featureNotSupported,
        'row-valued IN (subquery) is not supported yet',
        pos,
      );
    if (sub.plan.schema.length !== 1)
      throw new SqlError(SqlState.syntaxError, 'subquery has too many columns', pos);
    const left = this.bind(leftAst, ctx);
    const rt = sub.plan.schema[0]!.type;
    const t = commonType([left.type, rt]);
    if (!t)
      throw new SqlError(
        SqlState.undefinedFunction,
        `operator does not exist: ${typeName(left.type)} ${opName} ${typeName(rt)}`,
        pos,
      );
    const tt = t.kind === 'unknown' ? T.text : t;
    const op = resolveBinaryOperator(opName, tt, tt);
    if (!op)
      throw new SqlError(
        SqlState.undefinedFunction,
        `operator does not exist: ${typeName(tt)} ${opName} ${typeName(tt)}`,
        pos,
      );
    const plan = this.binder.coercePlan(sub.plan, [tt]);
    return {
      kind: 'quantifiedSubquery',
      left: this.coerce(left, tt, 'implicit', pos),
      plan,
      opName,
      op,
      all: quantifier === 'all',
      correlated: sub.correlated,
      type: T.boolean,
    };
  }
}

function isAggOrWindowCall(e: A.Expr): boolean {
  return (
    e.kind === 'function' &&
    (e.over !== undefined || lookupAggregate(e.name[e.name.length - 1]!.value) !== undefined)
  );
}

function hasTypmod(t: DataType): boolean {
  return (
    (t.kind === 'numeric' && t.precision !== undefined) ||
    (t.kind === 'varchar' && t.length !== undefined)
  );
}

/** Whether a plan reads any column of an enclosing query. */
export function planIsCorrelated(plan: import('../plan/logical.js').PlanNode, depth = 1): boolean {
  let found = false;
  const visitExpr = (e: BoundExpr, d: number): void => {
    if (found) return;
    if (e.kind === 'outerColumn' && e.depth >= d) found = true;
    if ('plan' in e && e.plan) visitPlan(e.plan, d + 1);
    for (const v of Object.values(e)) {
      if (v && typeof v === 'object' && 'kind' in v && 'type' in v && v !== e.type)
        visitExpr(v as BoundExpr, d);
      if (Array.isArray(v))
        for (const x of v)
          if (x && typeof x === 'object' && 'kind' in x && 'type' in x)
            visitExpr(x as BoundExpr, d);
    }
    if (e.kind === 'case')
      for (const w of e.whens) {
        visitExpr(w.when, d);
        visitExpr(w.then, d);
      }
  };
  const visitPlan = (p: import('../plan/logical.js').PlanNode, d: number): void => {
    if (found) return;
    const lateralDepth = p.kind === 'join' && p.lateral ? d + 1 : d;
    for (const [k, v] of Object.entries(p)) {
      if (k === 'schema') continue;
      const dd = p.kind === 'join' && k === 'right' ? lateralDepth : d;
      scan(v, dd);
    }
  };
  const scan = (v: unknown, d: number): void => {
    if (found || v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) {
      for (const x of v) scan(x, d);
      return;
    }
    const o = v as Record<string, unknown>;
    if (typeof o.kind === 'string' && 'schema' in o)
      visitPlan(o as import('../plan/logical.js').PlanNode, d);
    else if (typeof o.kind === 'string' && 'type' in o) visitExpr(o as BoundExpr, d);
    else for (const x of Object.values(o)) scan(x, d);
  };
  visitPlan(plan, depth);
  return found;
}

export type { Value };

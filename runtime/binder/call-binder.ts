/**
 * Binding of calls: scalar functions (built-in and SQL functions, inlined), aggregates with
 * DISTINCT, FILTER and ORDER BY, window functions, and set-returning calls in a select list.
 * `ExprBinder` (expr-binder.ts) extends `CallBinder` with the rest of expression binding.
 */
import type * as A from '../sql/ast.js';
import type { DataType } from '../types/datatype.js';
import { T, typeName } from '../types/datatype.js';
import { commonType } from '../types/coerce.js';
import type { ResolvedOperator } from '../expr/operators.js';
import { lookupAggregate, lookupScalar } from '../functions/index.js';
import { SqlError, SqlState } from '../errors.js';
import type {
  AggCall,
  BoundExpr,
  SortKey,
  SrfCall,
  WindowCall,
  WindowFrameSpec,
} from '../plan/logical.js';
import { isSetReturning, resolveSetReturning } from './set-returning.js';
import { Scope } from './scope.js';
import { exprKey } from './expr-key.js';
import type { QueryBinder } from './query-binder.js';
import { mapBound, visitBound } from '../plan/bound.js';
import { isWindowOnlyName } from './names.js';
import type { CoerceMode, ExprContext, SrfContext } from './expr-context.js';

export abstract class CallBinder {
  constructor(protected readonly binder: QueryBinder) {}

  protected get ctxEval() {
    return this.binder.ctx;
  }

  abstract bind(e: A.Expr, ctx: ExprContext): BoundExpr;
  abstract bindCondition(e: A.Expr, ctx: ExprContext, clause: string): BoundExpr;
  abstract coerce(e: BoundExpr, to: DataType, mode: CoerceMode, pos?: number): BoundExpr;
  abstract resolveEq(
    lt: DataType,
    rt: DataType,
    pos?: number,
  ): { op: ResolvedOperator; type: DataType };
  protected abstract fold(e: BoundExpr): BoundExpr;
  protected abstract bindInner(e: A.Expr, ctx: ExprContext): BoundExpr;

  // -------------------------------------------------------------------------------------------
  // Functions

  protected bindFunction(e: Extract<A.Expr, { kind: 'function' }>, ctx: ExprContext): BoundExpr {
    const name = e.name[e.name.length - 1]!.value;
    if (e.name.length > 1) {
      const schema = e.name[e.name.length - 2]!.value;
      if (schema !== 'pg_catalog' && schema !== 'public')
        throw new SqlError(SqlState.invalidSchemaName, `schema "${schema}" does not exist`, e.pos);
    }
    if (e.over) return this.bindWindowCall(e, name, ctx);
    if (isWindowOnlyName(name) && !lookupAggregate(name))
      throw new SqlError(
        SqlState.wrongObjectType,
        `window function ${name} requires an OVER clause`,
        e.pos,
      );

    switch (name) {
      case 'coalesce':
      case 'greatest':
      case 'least': {
        const args = e.args.map((a) => this.bind(a.value, ctx));
        const t = commonType(args.map((a) => a.type));
        if (!t)
          throw new SqlError(
            SqlState.datatypeMismatch,
            `${name.toUpperCase()} types ${[...new Set(args.map((a) => typeName(a.type)))].join(' and ')} cannot be matched`,
            e.pos,
          );
        const tt = t.kind === 'unknown' ? T.text : t;
        return {
          kind: name,
          args: args.map((a) => this.coerce(a, tt, 'implicit', e.pos)),
          type: tt,
        };
      }
      case 'nullif': {
        if (e.args.length !== 2) break;
        const l = this.bind(e.args[0]!.value, ctx);
        const r = this.bind(e.args[1]!.value, ctx);
        const { op, type } = this.resolveEq(l.type, r.type, e.pos);
        return {
          kind: 'nullif',
          left: this.coerce(l, type, 'implicit', e.pos),
          right: this.coerce(r, type, 'implicit', e.pos),
          eq: op,
          type,
        };
      }
    }

    if (name === 'grouping' && !this.binder.catalog.functions.has(name))
      return this.bindGrouping(e, ctx);
    if (isSetReturning(name) && !this.binder.catalog.functions.has(name))
      return this.bindSetReturning(e, name, ctx);
    const aggFn = this.binder.catalog.functions.has(name) ? undefined : lookupAggregate(name);
    if (aggFn) return this.bindAggregate(e, name, ctx);
    if (e.distinct || e.filter || e.orderBy.length > 0 || e.star) {
      if (e.star)
        throw new SqlError(
          SqlState.wrongObjectType,
          `${name}(*) specified, but ${name} is not an aggregate function`,
          e.pos,
        );
      throw new SqlError(
        SqlState.wrongObjectType,
        `${e.distinct ? 'DISTINCT' : e.filter ? 'FILTER' : 'ORDER BY'} specified, but ${name} is not an aggregate function`,
        e.pos,
      );
    }
    const args = e.args.map((a) => this.bind(a.value, ctx));
    const udf = this.binder.lookupSqlFunction(
      name,
      args.map((a) => a.type),
    );
    if (udf) return this.inlineSqlFunction(udf, args, ctx, e.pos);
    return this.callScalar(name, args, e.pos);
  }

  private bindSetReturning(
    e: Extract<A.Expr, { kind: 'function' }>,
    name: string,
    ctx: ExprContext,
  ): BoundExpr {
    if (!ctx.srf)
      throw new SqlError(
        SqlState.featureNotSupported,
        `set-returning functions are not allowed in ${ctx.clause}`,
        e.pos,
      );
    const inner: SrfContext = { calls: [], refs: [] };
    const args = e.args.map((a) => this.bind(a.value, { ...ctx, srf: inner, window: undefined }));
    const r = resolveSetReturning(this, name, args, e.pos);
    if (!r || r.types.length !== 1)
      throw new SqlError(
        SqlState.featureNotSupported,
        `${name} with several arguments is not supported in a select list`,
        e.pos,
      );
    const rowsOf = r.eval;
    let call: SrfCall = {
      name,
      args: r.args,
      eval: (vals, c) => rowsOf(vals, c).map((row) => row[0] ?? null),
      type: r.types[0]!,
    };
    if (inner.calls.length > 0) {
      // f(g(...)), g set-returning, as an argument of its own: f runs once per row of g.
      const at = r.args.findIndex((a) => a === inner.refs[0]);
      const g = inner.calls[0]!;
      if (inner.calls.length !== 1 || at < 0)
        throw new SqlError(
          SqlState.featureNotSupported,
          `set-returning functions nested this way are not supported in a select list`,
          e.pos,
        );
      const n = g.args.length;
      const rest = r.args.filter((_, i) => i !== at);
      call = {
        name,
        args: [...g.args, ...rest],
        eval: (vals, c) =>
          g.eval(vals.slice(0, n), c).flatMap((v) => {
            const own = vals.slice(n);
            own.splice(at, 0, v);
            return rowsOf(own, c).map((row) => row[0] ?? null);
          }),
        type: r.types[0]!,
      };
      ctx.srf.nested = true;
    }
    ctx.srf.calls.push(call);
    const ref: BoundExpr = { kind: 'column', index: -1, type: r.types[0]! };
    ctx.srf.refs.push(ref as { index: number });
    return ref;
  }

  /**
   * `grouping(a, b, ...)`: a bit mask with bit (n-1-i) set when argument i, a GROUP BY
   * expression, is not grouped in the current row's grouping set.
   */
  private bindGrouping(e: Extract<A.Expr, { kind: 'function' }>, ctx: ExprContext): BoundExpr {
    const agg = ctx.agg;
    if (!agg)
      throw new SqlError(
        SqlState.groupingError,
        `grouping operations are not allowed in ${ctx.clause}`,
        e.pos,
      );
    const keys = e.args.map((a) => {
      const b = this.fold(
        this.bindInner(a.value, { scope: agg.inputScope, clause: 'GROUPING', aggAllowed: false }),
      );
      const i = agg.groupKeyKeys.indexOf(exprKey(b));
      if (i < 0)
        throw new SqlError(
          SqlState.groupingError,
          'arguments to GROUPING must be grouping expressions of the associated query level',
          a.value.pos,
        );
      return i;
    });
    const sets = agg.groupingSets;
    if (!sets) return { kind: 'literal', value: 0, type: T.int4 };
    agg.setRef ??= { kind: 'column', index: -1, type: T.int4 } as BoundExpr & { index: number };
    const masks = sets.map((set) =>
      keys.reduce((m, k, i) => (set.includes(k) ? m : m | (1 << (keys.length - 1 - i))), 0),
    );
    return {
      kind: 'native',
      name: 'grouping',
      args: [agg.setRef as BoundExpr],
      eval: (vals) => masks[vals[0] as number] ?? null,
      type: T.int4,
    };
  }

  /** Resolves and binds a built-in scalar function call. */
  callScalar(name: string, args: BoundExpr[], pos?: number): BoundExpr {
    const fn = lookupScalar(name);
    const resolved = fn?.resolve(args.map((a) => a.type));
    if (!resolved)
      throw new SqlError(
        SqlState.undefinedFunction,
        `function ${name}(${args.map((a) => typeName(a.type)).join(', ')}) does not exist`,
        pos,
        undefined,
        'No function matches the given name and argument types. You might need to add explicit type casts.',
      );
    const coerced = args.map((a, i) =>
      this.coerce(a, resolved.argTypes[i] ?? a.type, 'implicit', pos),
    );
    return { kind: 'call', name, fn: resolved, args: coerced, type: resolved.returnType };
  }

  private inlineSqlFunction(
    f: import('../catalog/catalog.js').FunctionDesc,
    args: BoundExpr[],
    ctx: ExprContext,
    pos?: number,
  ): BoundExpr {
    const coerced = args.map((a, i) => this.coerce(a, f.params[i]!.type, 'implicit', pos));
    const byName = new Map<string, BoundExpr>();
    f.params.forEach((p, i) => {
      if (p.name) byName.set(p.name, coerced[i]!);
    });
    let body: BoundExpr;
    if (
      'body' in f.body &&
      'kind' in f.body &&
      (f.body as A.Query).body !== undefined &&
      !('parts' in f.body)
    ) {
      // A query body: a scalar subquery whose parameters read the caller's row one level out.
      const shifted = (x: BoundExpr): BoundExpr =>
        mapBound(x, (y) =>
          y.kind === 'column'
            ? { kind: 'outerColumn', depth: 1, index: y.index, type: y.type }
            : y.kind === 'outerColumn'
              ? { ...y, depth: y.depth + 1 }
              : y,
        );
      const subParams = {
        byIndex: coerced.map(shifted),
        byName: new Map([...byName].map(([k, v]) => [k, shifted(v)])),
      };
      const q = f.body as A.Query;
      const outer = ctx.agg ? ctx.agg.postScope : ctx.scope;
      const bound = this.withFnParams(subParams, () => this.binder.bindQuery(q, outer));
      if (bound.plan.schema.length !== 1)
        throw new SqlError(
          SqlState.featureNotSupported,
          'SQL functions returning several columns are not supported',
          pos,
        );
      body = {
        kind: 'scalarSubquery',
        plan: bound.plan,
        correlated: true,
        type: bound.plan.schema[0]!.type,
      };
    } else {
      body = this.bind(f.body as A.Expr, {
        scope: new Scope([], null),
        clause: 'function body',
        aggAllowed: false,
        fnParams: { byIndex: coerced, byName },
      });
    }
    return this.coerce(body, f.returns, 'assignment', pos);
  }

  private fnParamStack: ExprContext['fnParams'][] = [];
  /** Substitutions of the SQL function being inlined, if any. */
  protected fnParams(ctx: ExprContext): ExprContext['fnParams'] {
    return ctx.fnParams ?? this.fnParamStack[this.fnParamStack.length - 1];
  }
  private withFnParams<X>(p: ExprContext['fnParams'], f: () => X): X {
    this.fnParamStack.push(p);
    try {
      return f();
    } finally {
      this.fnParamStack.pop();
    }
  }

  private bindAggregate(
    e: Extract<A.Expr, { kind: 'function' }>,
    name: string,
    ctx: ExprContext,
  ): BoundExpr {
    if (!ctx.agg) {
      if (ctx.aggAllowed)
        throw new SqlError(
          SqlState.internalError,
          'aggregate found outside an aggregating query',
          e.pos,
        );
      throw new SqlError(
        SqlState.groupingError,
        ctx.clause === 'aggregate'
          ? 'aggregate function calls cannot be nested'
          : `aggregate functions are not allowed in ${ctx.clause}`,
        e.pos,
      );
    }
    const agg = ctx.agg;
    const inner: ExprContext = {
      scope: agg.inputScope,
      clause: 'aggregate',
      aggAllowed: false,
      fnParams: ctx.fnParams,
    };
    // WITHIN GROUP (ORDER BY x): the ordered value is the aggregate's last argument.
    const args = [...e.args.map((a) => a.value), ...(e.withinGroup?.map((o) => o.expr) ?? [])].map(
      (a) => this.bind(a, inner),
    );
    const fn = lookupAggregate(name)!;
    const argTypes = args.map((a) => a.type);
    const resolved = fn.resolve(e.star ? [] : argTypes, e.distinct);
    if (!resolved)
      throw new SqlError(
        SqlState.undefinedFunction,
        `function ${name}(${e.star ? '*' : argTypes.map(typeName).join(', ')}) does not exist`,
        e.pos,
        undefined,
        'No function matches the given name and argument types. You might need to add explicit type casts.',
      );
    const coerced = args.map((a, i) =>
      this.coerce(a, resolved.argTypes[i] ?? a.type, 'implicit', e.pos),
    );
    const filter = e.filter ? this.bindCondition(e.filter, inner, 'FILTER') : null;
    const orderBy: SortKey[] = e.orderBy.map((o) => ({
      expr: this.bind(o.expr, inner),
      desc: o.asc === false,
      nullsFirst: o.nullsFirst ?? o.asc === false,
    }));
    const call: AggCall = {
      name,
      fn: resolved,
      args: coerced,
      distinct: e.distinct,
      filter,
      orderBy,
      star: e.star,
    };
    const key = `${name}|${e.distinct}|${coerced.map(exprKey).join(',')}|${filter ? exprKey(filter) : ''}|${orderBy.map((o) => `${exprKey(o.expr)}${o.desc}${o.nullsFirst}`).join(',')}`;
    let i = agg.aggKeys.indexOf(key);
    if (i < 0) {
      agg.aggs.push(call);
      agg.aggKeys.push(key);
      i = agg.aggs.length - 1;
    }
    return { kind: 'column', index: agg.groupKeys.length + i, type: resolved.returnType };
  }

  private bindWindowCall(
    e: Extract<A.Expr, { kind: 'function' }>,
    name: string,
    ctx: ExprContext,
  ): BoundExpr {
    const win = ctx.window;
    if (!win)
      throw new SqlError(
        SqlState.windowingError,
        `window functions are not allowed in ${ctx.clause}`,
        e.pos,
      );
    let spec: A.WindowSpec;
    if (e.over!.kind === 'named') {
      const s = win.namedWindows.get(e.over!.name.value);
      if (!s)
        throw new SqlError(
          SqlState.undefinedObject,
          `window "${e.over!.name.value}" does not exist`,
          e.pos,
        );
      spec = s;
    } else spec = e.over!.spec;
    if (spec.baseName) {
      const base = win.namedWindows.get(spec.baseName.value);
      if (!base)
        throw new SqlError(
          SqlState.undefinedObject,
          `window "${spec.baseName.value}" does not exist`,
          e.pos,
        );
      spec = {
        partitionBy: base.partitionBy,
        orderBy: spec.orderBy.length > 0 ? spec.orderBy : base.orderBy,
        frame: spec.frame ?? base.frame,
      };
    }
    const inner: ExprContext = { ...ctx, window: undefined, clause: 'window function' };
    const partitionBy = spec.partitionBy.map((p) => this.bind(p, inner));
    const orderBy: SortKey[] = spec.orderBy.map((o) => ({
      expr: this.bind(o.expr, inner),
      desc: o.asc === false,
      nullsFirst: o.nullsFirst ?? o.asc === false,
    }));
    const args = e.args.map((a) => this.bind(a.value, inner));
    const filter = e.filter ? this.bindCondition(e.filter, inner, 'FILTER') : null;
    const frame: WindowFrameSpec = this.binder.bindWindowFrame(spec, orderBy.length > 0, (off) => {
      const b = this.bind(off, inner);
      if (spec.frame?.units === 'rows' || spec.frame?.units === 'groups')
        return this.coerce(b, T.int8, 'implicit', off.pos);
      if (spec.frame?.units === 'session') return this.bindSessionGap(b, orderBy, off.pos, e.pos);
      return b.type.kind === 'unknown'
        ? this.coerce(
            b,
            orderBy[0]?.expr.type.kind === 'timestamp' ||
              orderBy[0]?.expr.type.kind === 'timestamptz' ||
              orderBy[0]?.expr.type.kind === 'date'
              ? T.interval
              : (orderBy[0]?.expr.type ?? T.int8),
            'implicit',
            off.pos,
          )
        : b;
    });
    if (
      frame.units === 'range' &&
      (frame.start.kind === 'preceding' ||
        frame.start.kind === 'following' ||
        frame.end.kind === 'preceding' ||
        frame.end.kind === 'following') &&
      orderBy.length !== 1
    )
      throw new SqlError(
        SqlState.windowingError,
        'RANGE with offset PRECEDING/FOLLOWING requires exactly one ORDER BY column',
        e.pos,
      );

    let type: DataType;
    let agg = null;
    let callArgs = args;
    switch (name) {
      case 'row_number':
      case 'rank':
      case 'dense_rank':
        type = T.int8;
        break;
      case 'percent_rank':
      case 'cume_dist':
        type = T.float8;
        break;
      case 'ntile':
        type = T.int4;
        callArgs = args.map((a) => this.coerce(a, T.int4, 'implicit', e.pos));
        break;
      case 'lag':
      case 'lead': {
        if (args.length < 1 || args.length > 3)
          throw new SqlError(SqlState.undefinedFunction, `function ${name} does not exist`, e.pos);
        let t = args[0]!.type;
        if (args.length === 3) {
          const ct = commonType([t, args[2]!.type]);
          if (!ct)
            throw new SqlError(
              SqlState.datatypeMismatch,
              `function ${name}(${args.map((a) => typeName(a.type)).join(', ')}) does not exist`,
              e.pos,
            );
          t = ct;
        }
        if (t.kind === 'unknown') t = T.text;
        type = t;
        callArgs = [
          this.coerce(args[0]!, t, 'implicit', e.pos),
          ...(args[1] ? [this.coerce(args[1], T.int4, 'implicit', e.pos)] : []),
          ...(args[2] ? [this.coerce(args[2], t, 'implicit', e.pos)] : []),
        ];
        break;
      }
      case 'first_value':
      case 'last_value':
      case 'nth_value':
        if (args.length < 1)
          throw new SqlError(
            SqlState.undefinedFunction,
            `function ${name}() does not exist`,
            e.pos,
          );
        type = args[0]!.type.kind === 'unknown' ? T.text : args[0]!.type;
        callArgs = [
          this.coerce(args[0]!, type, 'implicit'),
          ...args.slice(1).map((a) => this.coerce(a, T.int4, 'implicit', e.pos)),
        ];
        break;
      default: {
        const fn = lookupAggregate(name);
        if (!fn)
          throw new SqlError(
            SqlState.undefinedFunction,
            `function ${name}(${args.map((a) => typeName(a.type)).join(', ')}) does not exist`,
            e.pos,
          );
        const resolved = fn.resolve(e.star ? [] : args.map((a) => a.type), e.distinct);
        if (!resolved)
          throw new SqlError(
            SqlState.undefinedFunction,
            `function ${name}(${args.map((a) => typeName(a.type)).join(', ')}) does not exist`,
            e.pos,
          );
        agg = resolved;
        type = resolved.returnType;
        callArgs = args.map((a, i) =>
          this.coerce(a, resolved.argTypes[i] ?? a.type, 'implicit', e.pos),
        );
      }
    }
    const call: WindowCall = {
      name,
      agg,
      args: callArgs,
      filter,
      partitionBy,
      orderBy,
      frame,
      ignoreNulls: e.nullTreatment === 'ignore',
      type,
      distinct: e.distinct,
    };
    win.calls.push(call);
    const ref: BoundExpr = { kind: 'column', index: -1, type };
    win.refs.push(ref as { index: number });
    return ref;
  }

  /**
   * The gap of `SESSION WITH GAP g`: one ORDER BY column of a number, date or timestamp type;
   * the gap a constant of that type (for a date, days or an interval; for timestamps, an
   * interval).
   */
  private bindSessionGap(
    gap: BoundExpr,
    orderBy: SortKey[],
    gapPos: number | undefined,
    pos: number | undefined,
  ): BoundExpr {
    if (orderBy.length !== 1)
      throw new SqlError(
        SqlState.windowingError,
        'SESSION frames require exactly one ORDER BY column',
        pos,
      );
    const t = orderBy[0]!.expr.type;
    const gapType = sessionGapType(t);
    if (!gapType)
      throw new SqlError(
        SqlState.featureNotSupported,
        `SESSION frames are not supported for ORDER BY type ${typeName(t)}`,
        pos,
      );
    visitBound(gap, (x) => {
      if (
        x.kind === 'column' ||
        x.kind === 'outerColumn' ||
        x.kind === 'scalarSubquery' ||
        x.kind === 'exists' ||
        x.kind === 'quantifiedSubquery' ||
        x.kind === 'arraySubquery' ||
        (x.kind === 'call' && x.fn.volatile)
      )
        throw new SqlError(
          SqlState.windowingError,
          'the gap of a SESSION frame must be a constant',
          gapPos,
        );
    });
    // A date's gap is a number of days, or an interval.
    if (t.kind === 'date' && gap.type.kind === 'interval') return gap;
    return this.coerce(gap, gapType, 'implicit', gapPos);
  }
}

/** The ORDER BY types a SESSION frame measures distances in, and the type of their gap. */
function sessionGapType(t: DataType): DataType | null {
  switch (t.kind) {
    case 'int2':
    case 'int4':
    case 'int8':
    case 'float4':
    case 'float8':
    case 'numeric':
      return t;
    case 'date':
      return T.int4;
    case 'timestamp':
    case 'timestamptz':
      return T.interval;
    default:
      return null;
  }
}

export const FOLDABLE = new Set<BoundExpr['kind']>([
  'call',
  'binary',
  'unary',
  'cast',
  'not',
  'and',
  'or',
  'isNull',
  'isBool',
  'isDistinct',
  'coalesce',
  'greatest',
  'least',
  'nullif',
  'inList',
  'like',
  'regex',
  'subscript',
  'field',
]);

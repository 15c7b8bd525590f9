/**
 * Bound expressions and the logical plan. The binder turns AST into these; the batch executor
 * interprets them and the stream planner (later) turns them into dataflow operators.
 *
 * Columns are referred to by position in the input row of the node that evaluates the
 * expression. For a join's condition that row is left columns followed by right columns.
 */
import type { DataType } from '../types/datatype.js';
import type { Value } from '../types/value.js';
import type { ResolvedAggregate, ResolvedScalar } from '../expr/registry.js';
import type { ResolvedOperator } from '../expr/operators.js';
import type { EvalContext } from '../expr/context.js';

export type BoundExpr = (
  | { kind: 'column'; index: number }
  /** A column of an enclosing query's current row: `depth` 1 is the nearest enclosing query. */
  | { kind: 'outerColumn'; depth: number; index: number }
  | { kind: 'literal'; value: Value }
  | { kind: 'param'; index: number }
  | { kind: 'call'; name: string; fn: ResolvedScalar; args: BoundExpr[] }
  | { kind: 'binary'; name: string; op: ResolvedOperator; left: BoundExpr; right: BoundExpr }
  | { kind: 'unary'; name: string; op: ResolvedUnary; arg: BoundExpr }
  | { kind: 'and' | 'or'; args: BoundExpr[] }
  | { kind: 'not'; arg: BoundExpr }
  | { kind: 'isNull'; arg: BoundExpr; negated: boolean }
  /** IS [NOT] TRUE/FALSE/UNKNOWN */
  | { kind: 'isBool'; arg: BoundExpr; value: boolean | null; negated: boolean }
  /** IS [NOT] DISTINCT FROM, through the type's equality */
  | {
      kind: 'isDistinct';
      left: BoundExpr;
      right: BoundExpr;
      negated: boolean;
      eq: ResolvedOperator;
    }
  | { kind: 'cast'; arg: BoundExpr; from: DataType }
  | { kind: 'case'; whens: { when: BoundExpr; then: BoundExpr }[]; else: BoundExpr | null }
  | { kind: 'coalesce'; args: BoundExpr[] }
  | { kind: 'greatest' | 'least'; args: BoundExpr[] }
  | { kind: 'nullif'; left: BoundExpr; right: BoundExpr; eq: ResolvedOperator }
  /** `arg IN (list)`: `eq` compares arg with each element (all coerced to one type). */
  | { kind: 'inList'; arg: BoundExpr; list: BoundExpr[]; negated: boolean; eq: ResolvedOperator }
  | {
      kind: 'like';
      arg: BoundExpr;
      pattern: BoundExpr;
      escape: BoundExpr | null;
      negated: boolean;
      caseInsensitive: boolean;
      similar: boolean;
    }
  | {
      kind: 'regex';
      arg: BoundExpr;
      pattern: BoundExpr;
      negated: boolean;
      caseInsensitive: boolean;
    }
  | { kind: 'array'; elements: BoundExpr[] }
  | { kind: 'row'; fields: BoundExpr[] }
  | { kind: 'subscript'; arg: BoundExpr; index: BoundExpr }
  | { kind: 'slice'; arg: BoundExpr; lower: BoundExpr | null; upper: BoundExpr | null }
  | { kind: 'field'; arg: BoundExpr; fieldIndex: number }
  /** `x op ANY/ALL (array)` */
  | {
      kind: 'quantifiedArray';
      left: BoundExpr;
      right: BoundExpr;
      op: ResolvedOperator;
      all: boolean;
    }
  | SubqueryExpr
  /** Function with a custom evaluator that sees NULLs and the context (e.g. concat, now). */
  | {
      kind: 'native';
      name: string;
      args: BoundExpr[];
      eval: (args: Value[], ctx: EvalContext) => Value;
    }
) & { type: DataType };

export interface ResolvedUnary {
  argType: DataType;
  returnType: DataType;
  eval(v: Value, ctx: EvalContext): Value;
}

export type SubqueryExpr =
  | { kind: 'scalarSubquery'; plan: PlanNode; correlated: boolean }
  | { kind: 'exists'; plan: PlanNode; negated: boolean; correlated: boolean }
  /** `left op ANY/ALL (subquery)`; IN is `= ANY`, NOT IN is `<> ALL`. */
  | {
      kind: 'quantifiedSubquery';
      left: BoundExpr;
      plan: PlanNode;
      opName: string;
      op: ResolvedOperator;
      all: boolean;
      correlated: boolean;
    }
  | { kind: 'arraySubquery'; plan: PlanNode; correlated: boolean };

export interface ColumnSchema {
  name: string;
  type: DataType;
}

export interface AggCall {
  name: string;
  fn: ResolvedAggregate;
  args: BoundExpr[];
  distinct: boolean;
  filter: BoundExpr | null;
  orderBy: SortKey[];
  /** count(*) */
  star: boolean;
}

export interface SortKey {
  expr: BoundExpr;
  desc: boolean;
  nullsFirst: boolean;
}

export type FrameBound =
  | { kind: 'unboundedPreceding' }
  | { kind: 'preceding'; offset: BoundExpr }
  | { kind: 'currentRow' }
  | { kind: 'following'; offset: BoundExpr }
  | { kind: 'unboundedFollowing' };

export interface WindowFrameSpec {
  /**
   * `session`: RisingWave's `SESSION WITH GAP g` — the frame of a row is its whole session, the
   * run of rows (in ORDER BY order, one ORDER BY value) in which each value is less than `gap`
   * from the previous one; start and end are then UNBOUNDED PRECEDING/FOLLOWING.
   */
  units: 'rows' | 'range' | 'groups' | 'session';
  start: FrameBound;
  end: FrameBound;
  exclude: 'noOthers' | 'currentRow' | 'group' | 'ties';
  /** The session gap (a constant) of a `session` frame. */
  gap?: BoundExpr;
}

export interface WindowCall {
  name: string;
  /** Aggregate used as a window function, or a ranking/value function by name. */
  agg: ResolvedAggregate | null;
  args: BoundExpr[];
  filter: BoundExpr | null;
  partitionBy: BoundExpr[];
  orderBy: SortKey[];
  frame: WindowFrameSpec;
  ignoreNulls: boolean;
  type: DataType;
  distinct: boolean;
}

/** A set-returning function in a select list (`SELECT generate_series(1, 3)`). */
export interface SrfCall {
  name: string;
  args: BoundExpr[];
  /** The function's rows for one set of arguments (one value each). */
  eval: (args: Value[], ctx: EvalContext) => Value[];
  type: DataType;
}

export type JoinKind = 'inner' | 'left' | 'right' | 'full' | 'semi' | 'anti';

export type PlanNode = (
  | { kind: 'scan'; table: string; tableId: number; columns: number[] }
  | { kind: 'values'; rows: BoundExpr[][] }
  | { kind: 'project'; input: PlanNode; exprs: BoundExpr[] }
  | { kind: 'filter'; input: PlanNode; predicate: BoundExpr }
  | {
      kind: 'join';
      joinKind: JoinKind;
      left: PlanNode;
      right: PlanNode;
      /** Equi-join keys (left expr over left row, right expr over right row), NULL never matches. */
      leftKeys: BoundExpr[];
      rightKeys: BoundExpr[];
      /** Residual condition over left ++ right. */
      condition: BoundExpr | null;
      /** Right side re-evaluated per left row with the left row as outer context (LATERAL). */
      lateral: boolean;
    }
  | {
      kind: 'aggregate';
      input: PlanNode;
      groupKeys: BoundExpr[];
      aggs: AggCall[];
      /** For GROUPING SETS: each set lists the group-key indices it keeps (others NULL). */
      groupingSets: number[][] | null;
      /** Append the index of each row's grouping set (read by `grouping()`). */
      groupingSetColumn?: boolean;
    }
  | { kind: 'window'; input: PlanNode; calls: WindowCall[] }
  /** Appends the values of set-returning calls, one output row per position (zipped, NULL-padded). */
  | { kind: 'projectSet'; input: PlanNode; calls: SrfCall[] }
  | { kind: 'sort'; input: PlanNode; keys: SortKey[] }
  | {
      kind: 'limit';
      input: PlanNode;
      limit: BoundExpr | null;
      offset: BoundExpr | null;
      withTies: SortKey[] | null;
    }
  | { kind: 'distinct'; input: PlanNode; on: BoundExpr[] | null }
  | {
      kind: 'setOp';
      op: 'union' | 'intersect' | 'except';
      all: boolean;
      left: PlanNode;
      right: PlanNode;
    }
  /** Table function: generate_series, unnest, ... evaluated once per call with outer context. */
  | {
      kind: 'tableFunction';
      name: string;
      args: BoundExpr[];
      withOrdinality: boolean;
      eval: (
        args: import('../types/value.js').Value[],
        ctx: EvalContext,
      ) => import('../types/value.js').Row[];
    }
  /** TUMBLE/HOP: appends window_start, window_end to each input row (HOP may emit several). */
  | {
      kind: 'timeWindow';
      input: PlanNode;
      fn: 'tumble' | 'hop';
      timeCol: BoundExpr;
      size: BoundExpr;
      slide: BoundExpr | null;
      offset: BoundExpr | null;
    }
  /** Reads the rows a `cteMaterialize` (or recursive CTE) produced. */
  | { kind: 'cteScan'; cteId: number }
  /** Evaluates each CTE once, then `input`. */
  | {
      kind: 'withCtes';
      ctes: { id: number; plan: PlanNode; recursive: PlanNode | null; unionAll: boolean }[];
      input: PlanNode;
    }
) & { schema: ColumnSchema[] };

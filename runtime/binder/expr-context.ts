/**
 * What binding an expression sees of its surroundings: its scope and clause, and the enclosing
 * SELECT's aggregates, window calls and set-returning calls.
 */
import type * as A from '../sql/ast.js';
import type { AggCall, BoundExpr, SrfCall, WindowCall } from '../plan/logical.js';
import type { Scope } from './scope.js';

export interface AggContext {
  /** Scope of the rows being aggregated. */
  inputScope: Scope;
  groupKeys: BoundExpr[];
  groupKeyKeys: string[];
  aggs: AggCall[];
  aggKeys: string[];
  /** Scope of aggregated rows: group keys then aggregate results. */
  postScope: Scope;
  groupingSets: number[][] | null;
  /** Reference to the grouping-set index column, created by the first `grouping()` call. */
  setRef?: { index: number };
}

export interface WindowContext {
  calls: WindowCall[];
  /** Column references to the window outputs, patched once the window node's position is known. */
  refs: { index: number }[];
  namedWindows: Map<string, A.WindowSpec>;
}

/** Set-returning calls of a select list, evaluated by a ProjectSet node. */
export interface SrfContext {
  calls: SrfCall[];
  refs: { index: number }[];
  /** Set when a call nests another set-returning call (see bindSetReturning). */
  nested?: boolean;
}

export interface ExprContext {
  scope: Scope;
  /** Clause name for error messages (`WHERE`, `JOIN conditions`, ...). */
  clause: string;
  aggAllowed: boolean;
  agg?: AggContext;
  window?: WindowContext;
  srf?: SrfContext;
  /** Argument substitutions while inlining a SQL function body. */
  fnParams?: { byIndex: BoundExpr[]; byName: Map<string, BoundExpr> };
}

export type CoerceMode = 'implicit' | 'assignment' | 'explicit';

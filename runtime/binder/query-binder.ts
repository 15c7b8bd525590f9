/**
 * What binding an expression needs of the statement binder (`Binder` implements it): its
 * catalog and context, subqueries, window frames, SQL functions and parameter types.
 */
import type * as A from '../sql/ast.js';
import type { DataType } from '../types/datatype.js';
import type { Catalog, FunctionDesc } from '../catalog/catalog.js';
import type { EvalContext } from '../expr/context.js';
import type { BoundExpr, PlanNode, WindowFrameSpec } from '../plan/logical.js';
import type { Scope } from './scope.js';

export interface BoundQuery {
  plan: PlanNode;
  /** Output column names (aliases) in order. */
  names: string[];
}

export interface QueryBinder {
  readonly catalog: Catalog;
  readonly ctx: EvalContext;
  /** Binding only to describe a statement: constant-folding errors are left for execution. */
  describeOnly: boolean;
  bindQuery(q: A.Query, outer: Scope | null): BoundQuery;
  bindWindowFrame(
    spec: A.WindowSpec,
    hasOrder: boolean,
    bindOffset: (e: A.Expr) => BoundExpr,
  ): WindowFrameSpec;
  coercePlan(plan: PlanNode, types: DataType[]): PlanNode;
  lookupSqlFunction(name: string, argTypes: DataType[]): FunctionDesc | undefined;
  noteParamType(index: number, t: DataType): void;
  paramValueType(index: number): DataType;
}

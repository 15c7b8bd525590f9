/**
 * Function registry interfaces. Scalar functions and aggregates are looked up by lower-case name;
 * each entry resolves an argument-type list to a concrete implementation (or declines), so
 * overloading and implicit coercion of arguments are decided once, at bind time.
 */
import type { DataType } from '../types/datatype.js';
import type { Value } from '../types/value.js';
import type { StateJson } from '../types/state-value.js';
import type { EvalContext } from './context.js';

export interface ResolvedScalar {
  /** Types the binder must coerce each argument to before calling `eval`. */
  argTypes: DataType[];
  returnType: DataType;
  eval(args: Value[], ctx: EvalContext): Value;
  /** When true (the default) the result is NULL if any argument is NULL and `eval` is not called. */
  strict?: boolean;
  /** Result may differ between calls with the same arguments (random(), now()). */
  volatile?: boolean;
}

export interface ScalarFunction {
  name: string;
  /** Returns undefined when no overload accepts `argTypes` (binder raises 42883). */
  resolve(argTypes: DataType[]): ResolvedScalar | undefined;
}

/**
 * An aggregate's running state for one group. `apply` adds (sign 1) or retracts (sign -1) one
 * input row; retraction is required of every aggregate so that streaming aggregation can use the
 * same code. Arguments arrive in the aggregate's ORDER BY order when it has one (batch only).
 */
export interface Accumulator {
  apply(args: Value[], sign: 1 | -1): void;
  result(): Value;
  /** The accumulator's whole state in checkpoint form (see types/state-value.ts). */
  save(): StateJson;
  /** Replaces the state of a freshly created accumulator with one `save` returned. */
  load(state: StateJson): void;
  /**
   * Folds rows a kernel has already aggregated (the columnar path of count and sum): `rows`
   * signed non-NULL inputs whose exact sum is `sum × 10^-scale`, with `scales` counting the
   * inputs' display scales (signed). Present only on accumulators that support it.
   */
  addBatch?(rows: number, sum: bigint, scale: number, scales: ReadonlyMap<number, number>): void;
  /**
   * Inserts `values[from..to)` — exact integers in ascending order — at once (the columnar path
   * of min/max); false when the run cannot be taken whole, and nothing was inserted.
   */
  appendRun?(values: Float64Array, from: number, to: number): boolean;
}

export interface ResolvedAggregate {
  argTypes: DataType[];
  returnType: DataType;
  /** NULL arguments are skipped before `apply` when true (the default), as for sum/min/max. */
  ignoreNulls?: boolean;
  create(): Accumulator;
}

export interface AggregateFunction {
  name: string;
  resolve(argTypes: DataType[], distinct: boolean): ResolvedAggregate | undefined;
}

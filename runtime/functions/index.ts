/**
 * The built-in function library: scalar functions and aggregates by lower-case name. The binder
 * resolves a call with `lookupScalar(name)?.resolve(argTypes)` (undefined → 42883).
 */
import type { AggregateFunction, ScalarFunction } from '../expr/registry.js';
import { stringFunctions } from './string.js';
import { mathFunctions } from './math.js';
import { jsonFunctions } from './json.js';
import { aggregateFunctions } from './aggregate.js';
import { datetimeFunctions } from './datetime.js';
import { arrayFunctions } from './array.js';
import { miscFunctions } from './misc.js';
import { catalogFunctions } from './catalog.js';

const scalars = new Map<string, ScalarFunction>();
for (const f of [
  ...stringFunctions,
  ...mathFunctions,
  ...jsonFunctions,
  ...datetimeFunctions,
  ...arrayFunctions,
  ...miscFunctions,
  ...catalogFunctions,
])
  scalars.set(f.name, f);

const aggregates = new Map<string, AggregateFunction>();
for (const f of aggregateFunctions) aggregates.set(f.name, f);

export function lookupScalar(name: string): ScalarFunction | undefined {
  return scalars.get(name.toLowerCase());
}

export function lookupAggregate(name: string): AggregateFunction | undefined {
  return aggregates.get(name.toLowerCase());
}

/** Names of all built-in scalar functions (for diagnostics and `\df`-style listings). */
export function scalarNames(): string[] {
  return [...scalars.keys()].sort();
}

export { likeMatcher, similarToMatcher, posixRegex } from './pattern.js';

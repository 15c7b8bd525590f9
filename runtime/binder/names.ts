/** Classification of function names the binder treats specially. */
import { lookupAggregate } from '../functions/index.js';

const windowOnly = new Set([
  'row_number',
  'rank',
  'dense_rank',
  'percent_rank',
  'cume_dist',
  'ntile',
  'lag',
  'lead',
  'first_value',
  'last_value',
  'nth_value',
]);

export function isWindowOnlyName(name: string): boolean {
  return windowOnly.has(name);
}

export function isAggregateName(name: string): boolean {
  return lookupAggregate(name) !== undefined;
}

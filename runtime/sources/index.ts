/**
 * The built-in data generators by name, for the playground and the source connectors:
 * `createGenerator('nexmark', { 'nexmark.min.event.gap.in.ns': '1000' }, { seed: 1 })`.
 */
import { ClickstreamGenerator } from './clickstream.js';
import type { EventGenerator, GeneratorOptions, GeneratorStart } from './generator.js';
import { NexmarkGenerator } from './nexmark.js';

export type {
  EventGenerator,
  GeneratedBatch,
  GeneratedTable,
  GeneratorOptions,
  GeneratorStart,
} from './generator.js';
export { GeneratorOptionError } from './generator.js';
export { NexmarkGenerator, NEXMARK_TABLES } from './nexmark.js';
export { ClickstreamGenerator, CLICKSTREAM_TABLES } from './clickstream.js';
export { DatagenGenerator, type DatagenColumn } from './datagen.js';

export const GENERATOR_KINDS = ['nexmark', 'clickstream'] as const;
export type GeneratorKind = (typeof GENERATOR_KINDS)[number];

export function createGenerator(
  kind: GeneratorKind,
  options: GeneratorOptions = {},
  start: GeneratorStart = {},
): EventGenerator {
  return kind === 'nexmark'
    ? new NexmarkGenerator(options, start)
    : new ClickstreamGenerator(options, start);
}

/** Entry of the Sluice kernel module: every kernel family, compiled into one Wasm binary. */
export { alloc, release, memoryBytes } from './common';
export * from './hash';
export * from './agg';
export * from './window';
export * from './filter';
export * from './take';
export * from './hashjoin';
export * from './bucket';

/** The Wasm kernels: loader and typed wrappers. */
export * from './loader.js';
export * from './ops.js';
export * from './misc.js';
export * from './key-index.js';

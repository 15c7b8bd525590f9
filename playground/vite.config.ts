/**
 * Builds the playground into dist/playground as static files with relative URLs (`base: './'`),
 * so `sluice serve` or any static host can serve it from any path.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: './',
  // Everything served comes out of the bundle; there is no public/ folder to copy.
  publicDir: false,
  build: {
    outDir: fileURLToPath(new URL('../dist/playground', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // The worker carries the whole engine; one chunk of it is expected to be large.
    chunkSizeWarningLimit: 4096,
    reportCompressedSize: true,
  },
  worker: { format: 'es' },
});

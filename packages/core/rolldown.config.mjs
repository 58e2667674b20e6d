// Few files for the runtime: importing @reg/core then resolves a couple of modules, not thirty.
// The subpaths share one chunk with the root, so their classes (ConfigError, ...) are the root's.
import { defineConfig } from 'rolldown';

export default defineConfig({
  input: { index: 'src/index.ts', state: 'src/state/index.ts', options: 'src/config/option-reader.ts' },
  platform: 'node',
  external: [/^node:/, 'yaml'],
  output: { dir: 'dist', format: 'esm', sourcemap: true, entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
});

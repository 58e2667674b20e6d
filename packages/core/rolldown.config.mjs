// One file for the runtime: importing @reg/core then resolves one module, not thirty.
import { defineConfig } from 'rolldown';

export default defineConfig({
  input: 'src/index.ts',
  platform: 'node',
  external: [/^node:/, 'yaml'],
  output: { file: 'dist/index.js', format: 'esm', sourcemap: true },
});

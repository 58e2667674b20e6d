import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: {
    // Tests run against the sources; the built package is checked by the copy test and the bench.
    alias: { '@reg/core': fileURLToPath(new URL('./src/index.ts', import.meta.url)) },
  },
  test: {
    name: 'core',
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
  },
});

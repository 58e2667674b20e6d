import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineProject({
  resolve: {
    // Tests run against the sources; the built package is checked by the copy test and the bench.
    alias: [
      { find: /^@reg\/core$/, replacement: source('./src/index.ts') },
      { find: /^@reg\/core\/state$/, replacement: source('./src/state/index.ts') },
      { find: /^@reg\/core\/options$/, replacement: source('./src/config/option-reader.ts') },
    ],
  },
  test: {
    name: 'core',
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
  },
});

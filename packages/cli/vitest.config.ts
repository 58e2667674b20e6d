import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'cli',
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    // These tests start `reg` as a child process; a loaded 2-core machine makes that slow.
    testTimeout: 20_000,
  },
});

import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'failure-suite',
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    // The table's rows mostly wait (timeouts, backoffs, quiet periods): run more of them at once.
    maxConcurrency: 10,
  },
});

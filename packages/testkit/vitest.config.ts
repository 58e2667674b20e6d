import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: '@reg/testkit',
    include: ['src/**/*.test.ts'],
  },
});

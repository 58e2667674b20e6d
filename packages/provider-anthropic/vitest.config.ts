import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'provider-anthropic',
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
  },
});

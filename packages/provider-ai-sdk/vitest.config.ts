import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'provider-ai-sdk',
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
  },
});

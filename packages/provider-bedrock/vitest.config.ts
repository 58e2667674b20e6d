import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'provider-bedrock',
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
  },
});

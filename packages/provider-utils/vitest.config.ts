import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'provider-utils',
    include: ['src/**/*.test.ts'],
  },
});

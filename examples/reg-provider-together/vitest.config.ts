import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'reg-provider-together',
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
  },
});

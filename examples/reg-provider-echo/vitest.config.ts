import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'reg-provider-echo',
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
  },
});

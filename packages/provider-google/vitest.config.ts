import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'provider-google',
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
  },
});

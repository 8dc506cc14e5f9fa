import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['__tests__/**/*.test.ts'],
    // The end-to-end tests spend most of their time waiting on child processes and poll
    // intervals, not on CPU: four files at a time on the two-core machines halves the wall time.
    maxWorkers: 4,
    testTimeout: 60_000,
    hookTimeout: 30_000,
  },
});

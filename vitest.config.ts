import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['__tests__/**/*.test.ts'],
    // The end-to-end tests spawn dist/index.js and servers; the machines have two cores.
    testTimeout: 60_000,
    hookTimeout: 30_000,
  },
});

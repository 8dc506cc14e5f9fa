import { defineConfig } from 'vitest/config';

// Two projects: the end-to-end tests (the bundled action in a child process, as the runner runs
// it) get a bundle built from the current source first; the unit tests, which import src/
// directly, do not wait for that build. `npx vitest run __tests__/zip.test.ts` builds nothing.
const E2E = ['__tests__/e2e-*.test.ts', '__tests__/bundle.test.ts'];

export default defineConfig({
  test: {
    // The whole run gets a fresh temporary folder and fails if a test leaves anything in it.
    globalSetup: ['__tests__/setup/temp-dir.ts'],
    // What the code under test writes to stdout is shown only for a failing test.
    setupFiles: ['__tests__/setup/quiet.ts'],
    // The end-to-end tests spend most of their time waiting on child processes and poll
    // intervals, not on CPU: four files at a time on the two-core machines halves the wall time.
    maxWorkers: 4,
    testTimeout: 60_000,
    hookTimeout: 30_000,
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      reporter: ['text-summary', 'text', 'html'],
    },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['__tests__/**/*.test.ts'],
          exclude: E2E,
        },
      },
      {
        extends: true,
        test: { name: 'e2e', include: E2E, globalSetup: ['__tests__/setup/bundle.ts'] },
      },
    ],
  },
});

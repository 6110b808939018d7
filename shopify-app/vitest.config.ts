import { defineConfig } from 'vitest/config';

// Plain Vite (no React Router plugin): the tests import server modules and the built app.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // The browser test builds and starts the app; the loader tests are quick. Run files one at a
    // time so the build does not compete with the loader tests for the two cores.
    fileParallelism: false,
  },
});

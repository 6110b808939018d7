import { defineConfig } from 'vitest/config';

// One run covers the core, the worker and the end-to-end tests; the Shopify app has its own
// config (React Router's Vite plugin) and runs in the same suite script.
export default defineConfig({
  test: {
    include: ['core/src/**/*.test.ts', 'worker/src/**/*.test.ts', 'test/**/*.test.ts', 'tools/**/*.test.ts', 'woo-plugin/src/**/*.test.ts'],
    exclude: ['**/node_modules/**'],
    globalSetup: ['test/support/global-setup.ts'],
    // Every test file: connections beyond 127.0.0.1 are refused and reported (see the file).
    setupFiles: ['test/support/no-network.ts', 'test/support/file-teardown.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
  },
});

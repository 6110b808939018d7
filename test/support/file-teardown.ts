import { afterAll } from 'vitest';

/**
 * Clean-ups of the test file that is running, run once its tests are over (this file is a vitest
 * setup file, so the afterAll below belongs to every test file). Helpers started in a beforeAll
 * register their clean-up here: an afterAll called inside a beforeAll is never run by vitest 4, so
 * the servers those helpers started (WordPress's php -S, the Shopify app server, the core's
 * listener) outlived every run. Last registered, first run.
 */
const tasks: Array<() => unknown> = [];

export function onFileTeardown(task: () => unknown): void {
  tasks.push(task);
}

afterAll(async () => {
  while (tasks.length > 0) {
    const task = tasks.pop()!;
    try {
      await task();
    } catch (e) {
      process.stderr.write(`a test clean-up failed: ${(e as Error).message}\n`);
    }
  }
});

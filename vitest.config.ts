import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    // Two cores: files run in parallel, each on a database of its own.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});

import { defineConfig } from 'vitest/config';

// `npm run test:cluster`: the production topology (PostgreSQL, the real Temporal server, NewLoom's API
// and workers as separate processes), started once by the global setup and shared by the files in turn.
export default defineConfig({
  test: {
    name: 'cluster',
    environment: 'node',
    pool: 'forks',
    include: ['test/cluster/**/*.test.ts'],
    globalSetup: ['./test/cluster/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 600_000,
  },
});

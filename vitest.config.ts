import { defineConfig } from 'vitest/config';

// Two projects so that unit tests never wait for a Temporal server: only the integration project
// has the global setup that starts one dev server, shared by every integration file.
export default defineConfig({
  test: {
    environment: 'node',
    // The Temporal core bridge is a native addon that crashes under worker threads.
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['./test/integration/global-setup.ts'],
          // Files share one dev server and each runs its own worker; two at once fit on 2 cores.
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});

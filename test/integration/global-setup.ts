import type { TestProject } from 'vitest/node';
import { startLocalTestServer } from '../helpers/local-test-server.js';
import { startThrowawayPostgres } from '../helpers/postgres.js';

/**
 * One real Temporal dev server for the whole integration run, on free ports, shared by every file
 * (each file runs its own worker on its own task queue), and one throwaway PostgreSQL cluster for the
 * storage tests (TEST_POSTGRES_URL points them at an existing server instead).
 */
export default async function setup(project: TestProject) {
  const [env, postgres] = await Promise.all([
    startLocalTestServer(),
    process.env.TEST_POSTGRES_URL ? Promise.resolve(undefined) : startThrowawayPostgres(),
  ]);
  project.provide('temporalAddress', env.address);
  project.provide('postgresAdminUrl', process.env.TEST_POSTGRES_URL ?? postgres?.adminUrl ?? '');
  return async () => {
    postgres?.stop();
    await env.teardown();
  };
}

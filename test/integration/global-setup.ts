import type { TestProject } from 'vitest/node';
import { startLocalTestServer } from '../helpers/local-test-server.js';

/**
 * One real Temporal dev server for the whole integration run, on free ports, shared by every file
 * (each file runs its own worker on its own task queue).
 */
export default async function setup(project: TestProject) {
  const env = await startLocalTestServer();
  project.provide('temporalAddress', env.address);
  return async () => {
    await env.teardown();
  };
}

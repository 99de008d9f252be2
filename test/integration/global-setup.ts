import { execFileSync } from 'node:child_process';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { TestProject } from 'vitest/node';
import { allSearchAttributeKeys } from '../../schemas/temporal-names.js';

/**
 * One real Temporal dev server for the whole integration run, on free ports, shared by every file
 * (each file runs its own worker on its own task queue). The CLI comes from the project's own
 * provisioning script, never from a download the SDK would attempt.
 */
export default async function setup(project: TestProject) {
  const cliPath =
    process.env.TEMPORAL_CLI_PATH ??
    execFileSync('bash', ['scripts/ensure-temporal-cli.sh'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: cliPath },
      ip: '127.0.0.1',
      searchAttributes: allSearchAttributeKeys,
    },
  });
  project.provide('temporalAddress', env.address);
  return async () => {
    await env.teardown();
  };
}

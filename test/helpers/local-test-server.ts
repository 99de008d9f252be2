import { execFileSync } from 'node:child_process';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { allSearchAttributeKeys } from '../../schemas/temporal-names.js';

/** The `temporal` binary: TEMPORAL_CLI_PATH, or whatever scripts/ensure-temporal-cli.sh finds or installs. */
export function temporalCliPath(): string {
  return (
    process.env.TEMPORAL_CLI_PATH ??
    execFileSync('bash', ['scripts/ensure-temporal-cli.sh'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    }).trim()
  );
}

/**
 * A throwaway Temporal dev server on free ports with NewLoom's search attributes, for the test suite,
 * benchmarks and history recording. Never downloads anything: it runs the provisioned CLI.
 */
export async function startLocalTestServer(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: temporalCliPath() },
      ip: '127.0.0.1',
      searchAttributes: allSearchAttributeKeys,
    },
  });
}

import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { installTemporalRuntime } from '../../src/temporal/runtime.js';
import { workflowsPath } from '../../src/temporal/worker.js';

// Histories recorded from real runs by scripts/record-histories.ts. Replaying them against the current
// workflow code fails CI when a change would break runs already in flight.
const historiesDir = new URL('../fixtures/histories/', import.meta.url);
const histories = readdirSync(historiesDir)
  .filter((file) => file.endsWith('.json'))
  .map((file) => ({ name: file.replace(/\.json$/, ''), history: JSON.parse(readFileSync(new URL(file, historiesDir), 'utf8')) as unknown }));

const quiet = { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
let current: WorkflowBundleWithSourceMap;
let reordered: WorkflowBundleWithSourceMap;

beforeAll(async () => {
  installTemporalRuntime(createLogger('error'));
  [current, reordered] = await Promise.all([
    bundleWorkflowCode({ workflowsPath, logger: quiet }),
    bundleWorkflowCode({ workflowsPath: fileURLToPath(new URL('../fixtures/workflows/reordered-stream-run.ts', import.meta.url)), logger: quiet }),
  ]);
}, 120_000);

describe('workflow determinism guard', () => {
  it('has the representative histories to replay', () => {
    expect(histories.map((entry) => entry.name).sort()).toEqual(['cancelled', 'completed', 'docs-written', 'failed-http-404', 'invalid-config', 'published', 'retried']);
  });

  it.each(histories)('replays the recorded "$name" run with the current streamRun', async ({ name, history }) => {
    await expect(Worker.runReplayHistory({ workflowBundle: current, replayName: name }, history, `replay-${name}`)).resolves.toBeUndefined();
  });

  it('rejects a workflow change that would break runs in flight', async () => {
    const completed = histories.find((entry) => entry.name === 'completed');
    await expect(Worker.runReplayHistory({ workflowBundle: reordered }, completed?.history, 'replay-completed')).rejects.toBeInstanceOf(DeterminismViolationError);
  });
});

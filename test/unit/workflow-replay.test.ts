import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { installTemporalRuntime } from '../../src/temporal/runtime.js';
import { workflowsPath } from '../../src/temporal/worker.js';
import { workflowPreloadModules } from '../../src/temporal/workflow-preload.js';

// Histories recorded from real runs by scripts/record-histories.ts. Replaying them against the current
// workflow code fails CI when a change would break runs already in flight.
const historiesDir = new URL('../fixtures/histories/', import.meta.url);
const histories = readdirSync(historiesDir)
  .filter((file) => file.endsWith('.json'))
  .map((file) => ({
    name: file.replace(/\.json$/, ''),
    history: JSON.parse(readFileSync(new URL(file, historiesDir), 'utf8')) as unknown,
  }));

const quiet = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
let current: WorkflowBundleWithSourceMap;
let reordered: WorkflowBundleWithSourceMap;

beforeAll(async () => {
  installTemporalRuntime(createLogger('error'));
  [current, reordered] = await Promise.all([
    // As workers bundle it: the run schemas loaded once and shared between the replayed runs.
    bundleWorkflowCode({ workflowsPath, logger: quiet, preloadModules: [...workflowPreloadModules] }),
    bundleWorkflowCode({
      workflowsPath: fileURLToPath(new URL('../fixtures/workflows/reordered-stream-run.ts', import.meta.url)),
      logger: quiet,
    }),
  ]);
}, 120_000);

describe('workflow determinism guard', () => {
  it('replays with the bundle as workers build it: the shared run schemas preloaded', () => {
    expect(current.code).toMatch(
      /exports\.preloadModules = function preloadModules\(\) \{[^}]*"\.\/workflows\/shared-run-schemas\.ts"/,
    );
  });

  it('has the representative histories to replay', () => {
    expect(histories.map((entry) => entry.name).sort()).toEqual([
      'cancelled',
      'cancelled-with-attempt',
      'completed',
      'docs-written',
      'dry-run',
      'failed-http-404',
      'failed-with-attempt',
      'invalid-config',
      'published',
      'retried',
      'saved-by-task',
    ]);
  });

  // Runs started before collection activities saved their own items are still in flight after the
  // deploy: their histories schedule saveItems, the new ones do not, and both must replay.
  it("holds runs of both shapes: saved by the workflow's saveItems step, and saved by the collection activity", () => {
    const scheduled = (name: string) => {
      const events =
        (
          histories.find((entry) => entry.name === name)?.history as
            { events?: Array<Record<string, { activityType?: { name?: string } }>> } | undefined
        )?.events ?? [];
      return events.flatMap((event) => event.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
    };
    expect(scheduled('completed')).toEqual(['rss_feed', 'saveItems', 'recordRunOutcome']);
    expect(scheduled('retried')).toEqual(['rss_feed', 'saveItems', 'recordRunOutcome']);
    expect(scheduled('saved-by-task')).toEqual(['rss_feed', 'recordRunOutcome']);
  });

  it.each(histories)('replays the recorded "$name" run with the current streamRun', async ({ name, history }) => {
    await expect(
      Worker.runReplayHistory({ workflowBundle: current, replayName: name }, history, `replay-${name}`),
    ).resolves.toBeUndefined();
  });

  it('rejects a workflow change that would break runs in flight', async () => {
    const completed = histories.find((entry) => entry.name === 'completed');
    await expect(
      Worker.runReplayHistory({ workflowBundle: reordered }, completed?.history, 'replay-completed'),
    ).rejects.toBeInstanceOf(DeterminismViolationError);
  });
});

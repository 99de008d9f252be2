import { Context } from '@temporalio/activity';
import type { Logger } from 'pino';
import type { Activities } from '../../activities/index.js';
import { workflowTypes } from '../../schemas/temporal-names.js';
import { claimActiveRun } from '../db/active-runs-repository.js';
import type { Database } from '../db/database.js';
import { streamIdOfRun } from './run-ids.js';

/** Runs this worker has claimed lately, so a run's later activities skip the write. */
const REMEMBERED_RUNS = 5_000;

/**
 * Every stream run records itself as going in the database when its first activity starts, so the
 * API's active-run check (src/temporal/active-run-gate.ts) sees scheduled and probe runs, which no
 * API request started; the run's outcome record removes the claim. Done here, around the activities,
 * so the workflow's commands (and the histories they replay) do not change. A claim that cannot be
 * written is logged and the run goes on: the check is a courtesy to people pressing "run now", not a
 * reason to fail a scheduled run.
 */
export function claimingRuns(activities: Activities, db: Database, logger: Logger): Activities {
  const claimed = new Set<string>();
  async function claimOnce(): Promise<void> {
    const { workflowType, workflowExecution } = Context.current().info;
    const runId = workflowExecution?.workflowId;
    if (!runId || workflowType !== workflowTypes.streamRun || claimed.has(runId)) return;
    const streamId = streamIdOfRun(runId);
    if (!streamId) return;
    try {
      await claimActiveRun(db, { streamId, runId });
      claimed.add(runId);
      if (claimed.size > REMEMBERED_RUNS) claimed.delete(claimed.values().next().value!);
    } catch (error) {
      logger.warn({ err: error, streamId, workflowId: runId }, 'could not record the run as going');
    }
  }
  const wrapped: Record<string, unknown> = {};
  for (const [name, activity] of Object.entries(activities) as Array<[string, (...args: unknown[]) => unknown]>) {
    // The outcome record ends the run's claim; claiming again there would leave one behind.
    wrapped[name] =
      name === 'recordRunOutcome'
        ? activity
        : async (...args: unknown[]) => {
            await claimOnce();
            return activity(...args);
          };
  }
  return wrapped as Activities;
}

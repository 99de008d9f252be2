import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import {
  claimActiveRun,
  claimIfIdle,
  listActiveRunClaims,
  releaseActiveRun,
  type ActiveRunClaim,
} from '../db/active-runs-repository.js';
import type { Database } from '../db/database.js';

/**
 * A claim whose run Temporal does not know yet may be a start in flight (claimed, not yet started):
 * it holds the stream this long before it counts as abandoned.
 */
export const STARTING_CLAIM_GRACE_MS = 60_000;

/** Thrown when a run is asked for while the stream's previous run is still going. */
export class RunAlreadyActiveError extends Error {
  override readonly name = 'RunAlreadyActiveError';
  constructor(
    readonly streamId: string,
    readonly runId: string,
  ) {
    super(`stream ${streamId} already has a run in progress (${runId}); pass force=true to start another`);
  }
}

export interface ActiveRunGate {
  /**
   * Takes the stream for a run about to start, or throws RunAlreadyActiveError naming the run that
   * holds it. With `force` the run is recorded as going whatever else is.
   */
  claim(streamId: string, runId: string, options?: { force?: boolean }): Promise<void>;
  /** Gives the stream back when the start did not happen. */
  release(streamId: string, runId: string): Promise<void>;
}

/**
 * The active-run check on the database's record of the runs that are going, not on Temporal's
 * visibility store: a start costs one write when the stream is idle (the common case), and Temporal is
 * asked only about a claim already there, by id (a point read, not a search). Correct when starts race
 * (claimIfIdle lets one of them in) and across API restarts (the claims live in the database). A claim
 * left by a run that ended without recording its outcome (terminated, timed out) is found closed and
 * dropped by the next start that meets it.
 */
export function activeRunGate(db: Database, client: Client, now: () => Date = () => new Date()): ActiveRunGate {
  async function holdsTheStream(claim: ActiveRunClaim): Promise<boolean> {
    try {
      const { status } = await client.workflow.getHandle(claim.runId).describe();
      return status.name === 'RUNNING';
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
      return now().getTime() - Date.parse(claim.claimedAt) < STARTING_CLAIM_GRACE_MS;
    }
  }

  return {
    async claim(streamId, runId, options = {}) {
      if (options.force) {
        await claimActiveRun(db, { streamId, runId, now: now() });
        return;
      }
      // Each round either takes the stream or drops a claim found abandoned; a few rounds settle any race.
      for (let round = 0; round < 3; round += 1) {
        if (await claimIfIdle(db, { streamId, runId, now: now() })) return;
        for (const claim of await listActiveRunClaims(db, streamId)) {
          if (claim.runId === runId) return; // a replayed request: this run holds it already
          if (await holdsTheStream(claim)) throw new RunAlreadyActiveError(streamId, claim.runId);
          await releaseActiveRun(db, { streamId, runId: claim.runId });
        }
      }
      const [holder] = await listActiveRunClaims(db, streamId);
      throw new RunAlreadyActiveError(streamId, holder?.runId ?? 'a run starting now');
    },
    release: (streamId, runId) => releaseActiveRun(db, { streamId, runId }),
  };
}

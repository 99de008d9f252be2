import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { RecordRunOutcomeInput } from '../../schemas/stream-run.js';
import type { Database } from '../db/database.js';
import { recordRunOutcome } from '../db/streams-repository.js';
import { syncStreamSchedule } from '../temporal/schedules.js';
import { defaultProbeSettings, type ProbeSettings } from './stream-health.js';

export interface HealthFollowDeps {
  /** Where the worker reaches the stream's schedules; without it health is recorded and schedules stay as they are. */
  schedules?: { client: Client; taskQueue: string } | undefined;
  probe?: ProbeSettings | undefined;
  logger?: Logger | undefined;
}

/**
 * recordRunOutcome as the worker binds it: the outcome and the stream's health in one transaction,
 * then, only when health crossed a line (quarantined, released, a probe failed), the stream's schedules
 * follow. A healthy stream costs no Temporal call. When the schedule update fails the activity fails and
 * is retried; the retry finds the outcome already counted (`repeated`) and syncs again.
 */
export function recordOutcomeAndFollow(db: Database, deps: HealthFollowDeps) {
  return async (input: RecordRunOutcomeInput): Promise<void> => {
    const recorded = await recordRunOutcome(db, input, deps.probe ?? defaultProbeSettings);
    const stream = recorded.stream;
    if (!stream || !deps.schedules) return;
    const follow = recorded.transition !== 'none' || (recorded.repeated && stream.frequency !== null);
    if (!follow) return;
    await syncStreamSchedule(deps.schedules.client, stream, deps.schedules.taskQueue);
    if (recorded.transition !== 'none')
      deps.logger?.warn(
        {
          streamId: stream.id,
          transition: recorded.transition,
          consecutiveFailures: stream.health.consecutiveFailures,
          nextProbeAt: stream.health.nextProbeAt,
        },
        'stream health changed; its schedules follow',
      );
  };
}

import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { Database } from '../db/database.js';
import { recordScheduleOutcome, streamsWithScheduleErrors } from '../db/streams-repository.js';
import { reconcileDatabaseSchedules, syncSchedules } from './schedules.js';

export interface ScheduleRepair {
  /** Stops the loop and waits for a pass in progress. */
  stop(): Promise<void>;
  /** One pass now: what a tick does. */
  repairOnce(): Promise<void>;
}

/**
 * Retries, every `intervalMs`, the schedules of streams saved while Temporal could not follow them
 * (`scheduleStatus: "error"`: the server was down, slow past the API's deadline, or refused a cron).
 * Without it such a stream would run only by hand until its next change or the next start. Only those
 * streams are read and synced, so a pass over a healthy installation is one indexed query. Several API
 * processes may run it together: a sync is idempotent, and a lost race is retried on the next pass.
 */
export function startScheduleRepair(options: {
  client: Client;
  db: Database;
  taskQueue: string;
  logger: Logger;
  intervalMs: number;
}): ScheduleRepair {
  const { client, db, taskQueue, logger } = options;
  let running: Promise<void> | undefined;
  const repairOnce = async () => {
    const broken = await streamsWithScheduleErrors(db);
    if (broken.length === 0) return;
    const report = await syncSchedules(client, broken, taskQueue, logger, async (stream, outcome) => {
      await recordScheduleOutcome(db, stream.id, outcome);
    });
    logger[report.failed > 0 ? 'warn' : 'info']({ ...report, streams: broken.length }, 'schedules repaired');
  };
  const tick = () => {
    if (running) return; // a slow pass is never stacked on by the next tick
    running = repairOnce()
      .catch((error: unknown) => logger.error({ err: error }, 'schedule repair pass failed'))
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(tick, options.intervalMs);
  timer.unref();
  return {
    repairOnce,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

/**
 * What an API process does at start about schedules: one full reconcile with the database (a stream
 * Temporal refuses is marked, never a failed start), then the repair loop. Returns the loop to stop.
 */
export async function keepSchedulesInSync(options: {
  client: Client;
  db: Database;
  taskQueue: string;
  logger: Logger;
  intervalMs: number;
}): Promise<ScheduleRepair> {
  await reconcileDatabaseSchedules(options.client, options.db, options.taskQueue, options.logger);
  return startScheduleRepair(options);
}

import { Context } from '@temporalio/activity';
import type { Logger } from 'pino';
import { createActivities, type Activities, type ActivityPorts } from '../../activities/index.js';
import type { BrowserPool } from '../../activities/browser/browser-pool.js';
import type { HttpSettings } from '../../activities/http/http-client.js';
import type { Client } from '@temporalio/client';
import {
  googleSettings,
  httpSettings,
  llmSettings,
  probeSettings,
  telegramSettings,
  type AppConfig,
} from '../config.js';
import { sharedPoliteness, storePorts } from '../db/activity-ports.js';
import type { Database } from '../db/database.js';
import type { HealthFollowDeps } from '../health/record-outcome.js';
import { claimingRuns } from './run-claiming-activities.js';

export interface WorkerActivityDeps extends Pick<ActivityPorts, 'telegram' | 'llm' | 'google'> {
  db: Database;
  logger: Logger;
  http: HttpSettings;
  browser?: BrowserPool | undefined;
  /** Stream health: the Temporal client the worker pauses and probes quarantined streams' schedules with, and the probe intervals. */
  health?: Omit<HealthFollowDeps, 'logger'> | undefined;
}

/**
 * The one place a worker's activities are put together: the store ports bound to its database, and
 * per-host politeness shared with the installation's other workers when the database is PostgreSQL.
 */
export function buildWorkerActivities(deps: WorkerActivityDeps): Activities {
  const { db, logger, http } = deps;
  const activities = createActivities({
    http,
    logger,
    ...(deps.browser ? { browser: deps.browser } : {}),
    ...(deps.telegram ? { telegram: deps.telegram } : {}),
    ...(deps.llm ? { llm: deps.llm } : {}),
    ...(deps.google ? { google: deps.google } : {}),
    ...storePorts(db, {
      cancellationSignal: () => Context.current().cancellationSignal,
      health: { ...deps.health, logger },
    }),
    politeness: sharedPoliteness(
      db,
      { concurrency: http.hostConcurrency ?? 2, minIntervalMs: http.hostMinIntervalMs ?? 1000 },
      logger,
    ),
  });
  return claimingRuns(activities, db, logger);
}

/** A worker's activities from the process's configuration (src/main.ts, src/worker-main.ts). */
export function workerActivitiesFromConfig(
  config: AppConfig,
  runtime: { db: Database; logger: Logger; browser?: BrowserPool; temporal: { client: Client; taskQueue: string } },
): Activities {
  const { temporal, ...rest } = runtime;
  return buildWorkerActivities({
    ...rest,
    health: { schedules: temporal, probe: probeSettings(config) },
    http: httpSettings(config),
    telegram: telegramSettings(config),
    llm: llmSettings(config),
    google: googleSettings(config),
  });
}

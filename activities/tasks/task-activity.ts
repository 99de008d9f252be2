import type { Logger } from 'pino';
import type { CollectionOutput } from '../../schemas/stream-run.js';
import type { HttpClient, HttpSettings } from '../http/http-client.js';

/** How a worker configures its task activities; tests pass their own. */
export interface TaskActivityConfig {
  http: HttpSettings;
  logger: Logger;
}

/** What every task activity may use: one HTTP client per worker, so politeness spans all streams. */
export interface TaskActivityDeps {
  http: HttpClient;
  logger: Logger;
}

/** A collection task's activity: takes the validated config, returns what it found. */
export type CollectionActivity = (config: unknown) => Promise<CollectionOutput>;

export type TaskActivityFactory = (deps: TaskActivityDeps) => CollectionActivity;

import type { Logger } from 'pino';
import type { CollectionOutput } from '../../schemas/stream-run.js';
import type { HttpSettings } from '../http/fetch-text.js';

/** What every task activity may use; tests pass their own. */
export interface TaskActivityDeps {
  http: HttpSettings;
  logger: Logger;
}

/** A collection task's activity: takes the validated config, returns what it found. */
export type CollectionActivity = (config: unknown) => Promise<CollectionOutput>;

export type TaskActivityFactory = (deps: TaskActivityDeps) => CollectionActivity;

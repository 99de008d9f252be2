import type { Logger } from 'pino';
import type { CollectionContext, CollectionOutput, HttpValidator } from '../../schemas/stream-run.js';
import type { BrowserPool } from '../browser/browser-pool.js';
import type { HttpClient, HttpSettings } from '../http/http-client.js';

/** How a worker configures its task activities; tests pass their own. */
export interface TaskActivityConfig {
  http: HttpSettings;
  logger: Logger;
  /** Where conditional GETs find what the last saved run was told; without it every fetch is unconditional. */
  findValidator?: ValidatorLookup;
  /** The worker's Chromium; browser tasks fail with a clear error without one. */
  browser?: BrowserPool;
  /** A client shared with the worker's other activities; one is built from `http` when absent. */
  httpClient?: HttpClient;
}

export type ValidatorLookup = (sourceId: string, url: string) => Promise<HttpValidator | undefined>;

/** What every task activity may use: one HTTP client per worker, so politeness spans all streams. */
export interface TaskActivityDeps {
  http: HttpClient;
  logger: Logger;
  findValidator?: ValidatorLookup | undefined;
  browser?: BrowserPool | undefined;
}

/** A collection task's activity: takes the validated config (and the run's context), returns what it found. */
export type CollectionActivity = (config: unknown, context?: CollectionContext) => Promise<CollectionOutput>;

export type TaskActivityFactory = (deps: TaskActivityDeps) => CollectionActivity;

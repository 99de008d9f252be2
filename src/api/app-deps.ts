import type { Client } from '@temporalio/client';
import type { Database } from '../db/database.js';
import type { ApiKey } from './auth.js';
import type { ApiMetrics } from './metrics.js';

/** What the API needs from the outside world; `server.ts`, `main.ts` and tests each provide it. */
export interface AppDeps {
  db: Database;
  temporal: { client: Client; taskQueue: string };
  /** Configured API keys; none means the API is open (only allowed on a loopback address). */
  apiKeys?: ApiKey[];
  /** Prometheus metrics; the app makes its own registry when none is given. */
  metrics?: ApiMetrics;
  /** The Temporal Web UI the console links runs to; the console falls back to the dev server's default. */
  temporalUiUrl?: string;
}

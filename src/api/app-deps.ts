import type { Client } from '@temporalio/client';
import type { Database } from '../db/database.js';

/** What the API needs from the outside world; `server.ts`, `main.ts` and tests each provide it. */
export interface AppDeps {
  db: Database;
  temporal: { client: Client; taskQueue: string };
}

import { Client, Connection } from '@temporalio/client';
import Fastify, { type FastifyInstance } from 'fastify';
import { newloomApi } from '../../src/api/app.js';
import { openDatabase, type Database } from '../../src/db/database.js';

export interface UnitApi {
  app: FastifyInstance;
  db: Database;
  close(): Promise<void>;
}

/**
 * The API plugin on an in-memory SQLite, for routes that never reach Temporal: its client points at a
 * port nothing listens on and connects lazily, so a route that did call it would fail loudly.
 */
export async function startUnitApi(): Promise<UnitApi> {
  const db = await openDatabase('sqlite::memory:');
  const app = Fastify();
  const client = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
  await app.register(newloomApi, { db, temporal: { client, taskQueue: 'unused' } });
  await app.ready();
  return {
    app,
    db,
    async close() {
      await app.close();
      await db.destroy();
    },
  };
}

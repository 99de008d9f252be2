import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { postgresBinDir, startLocalPostgres } from '../../src/cluster/postgres.js';
import { freePort } from './free-port.js';

export { freePort };

export interface ThrowawayPostgres {
  /** Connection URL of the cluster's `postgres` database, as superuser `newloom`. */
  adminUrl: string;
  stop(): void;
}

/** A PostgreSQL cluster of our own in a temp folder, on a free port: started for one test run and deleted after it. */
export async function startThrowawayPostgres(): Promise<ThrowawayPostgres | undefined> {
  if (!postgresBinDir()) return undefined;
  const dataDir = mkdtempSync(join(tmpdir(), 'newloom-pg-'));
  const server = startLocalPostgres({ dataDir, port: await freePort(), durable: false });
  return {
    adminUrl: server.adminUrl,
    stop() {
      try {
        server.stop();
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}

/** A fresh, empty database on the cluster; returns its URL. */
export async function createScratchDatabase(adminUrl: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`create database "${name}"`);
  } finally {
    await client.end();
  }
  return adminUrl.replace(/\/postgres$/, `/${name}`);
}

import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, Migrator, PostgresAdapter, PostgresDialect, SqliteDialect, type Dialect } from 'kysely';
import Libsql from 'libsql';
import pg from 'pg';
import { dialectOf, type SqlDialect } from './dialect.js';
import { defaultBusyRetry, GuardedDialect, SQLITE_BUSY_TIMEOUT_MS, type BusyRetry } from './guarded-driver.js';
import { migrationProvider } from './migrations/index.js';
import type { DatabaseSchema } from './schema.js';

export type Database = Kysely<DatabaseSchema>;

/** Thrown when migrations cannot bring the database to the code's schema, or the URL names no database we support. */
export class DatabaseSetupError extends Error {
  override readonly name = 'DatabaseSetupError';
}

/**
 * Opens the database a URL names and applies pending migrations, so a fresh checkout needs no setup
 * step: `sqlite:<path>` (or `sqlite::memory:`), or `postgres://user:password@host:port/database`.
 * One code path serves both; only the migrations know a dialect difference (auto-increment ids).
 */
export async function openDatabase(
  url: string,
  options: { upTo?: string; busyRetry?: BusyRetry } = {},
): Promise<Database> {
  const dialect = dialectOf(url);
  if (!dialect) throw new DatabaseSetupError('DATABASE_URL must start with sqlite: or postgres://');
  const db = new Kysely<DatabaseSchema>({
    dialect: dialect === 'sqlite' ? sqliteDialect(url, options.busyRetry ?? defaultBusyRetry) : postgresDialect(url),
  });
  try {
    await migrate(db, dialect, options.upTo);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return db;
}

/** Which of the two databases an open handle talks to. */
export function databaseDialect(db: Database): SqlDialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

function sqliteDialect(url: string, busyRetry: BusyRetry): Dialect {
  const path = url.replace(/^sqlite:/, '');
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  // libsql keeps better-sqlite3's API and ships prebuilt binaries as npm packages, so installing
  // compiles nothing.
  const connection = new Libsql(path);
  // WAL lets the API read while the worker writes. libsql waits for a lock synchronously, freezing
  // the process, so SQLite's own busy timeout is a blink and GuardedDialect waits for longer locks on
  // a timer.
  connection.pragma('journal_mode = WAL');
  connection.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  connection.pragma('foreign_keys = ON');
  // better-sqlite3's build defaults, which libsql's build lacks: commits are not fsynced one by one in
  // WAL (a power cut may lose the last ones, never corrupt the file); a 16 MB page cache.
  connection.pragma('synchronous = NORMAL');
  connection.pragma('cache_size = -16000');
  return new GuardedDialect(new SqliteDialect({ database: connection }), { handle: connection, retry: busyRetry });
}

function postgresDialect(url: string): Dialect {
  // Without a connect timeout a request waits forever for a server that is down; with one it fails
  // in seconds and the API answers 503.
  return new GuardedDialect(
    new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 5000 }) }),
  );
}

/** Applies pending migrations, all of them or (for upgrade tests) up to the named one. */
async function migrate(db: Database, dialect: SqlDialect, upTo?: string): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider(dialect) });
  const { error, results } = upTo ? await migrator.migrateTo(upTo) : await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((result) => result.status === 'Error')?.migrationName ?? 'before any migration';
    throw new DatabaseSetupError(
      `migration ${failed} failed: ${error instanceof Error ? error.message : JSON.stringify(error)}`,
    );
  }
}

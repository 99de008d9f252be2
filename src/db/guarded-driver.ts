import { setTimeout as sleep } from 'node:timers/promises';
import {
  CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import type Libsql from 'libsql';
import { DatabaseBusyError } from './database-errors.js';
import { assertSqliteBindable } from './sqlite-bind-values.js';

/**
 * SQLite's own wait for a lock. libsql waits synchronously, so the whole process (HTTP, the
 * worker's heartbeats) stands still for it: keep it to a blink and wait asynchronously instead.
 */
export const SQLITE_BUSY_TIMEOUT_MS = 10;

export interface BusyRetry {
  /** How long in total a statement keeps retrying a locked database before DatabaseBusyError. */
  boundMs: number;
  /** First pause between attempts; it doubles up to maxDelayMs. */
  initialDelayMs: number;
  maxDelayMs: number;
}

export const defaultBusyRetry: BusyRetry = { boundMs: 8000, initialDelayMs: 10, maxDelayMs: 250 };

interface SqliteGuard {
  handle: Libsql.Database;
  retry: BusyRetry;
}

/**
 * Wraps a Kysely dialect's driver with what its faults need:
 * - on SQLite, parameters are checked before the native driver sees them (see assertSqliteBindable);
 * - on SQLite, a locked database is retried after an awaited timer (the event loop keeps turning),
 *   and transactions begin IMMEDIATE so the write lock is taken, and waited for, up front rather
 *   than at the first write mid-transaction, where a busy error cannot be retried;
 * - on both, a rollback that fails after a failed statement rethrows the statement's error, so the
 *   cause (SQLITE_IOERR, SQLITE_FULL, a dropped connection) is what the caller sees and stores.
 */
export class GuardedDialect implements Dialect {
  constructor(
    private readonly inner: Dialect,
    private readonly sqlite?: SqliteGuard,
  ) {}

  createDriver(): Driver {
    return new GuardedDriver(this.inner.createDriver(), this.sqlite);
  }
  createQueryCompiler(): QueryCompiler {
    return this.inner.createQueryCompiler();
  }
  createAdapter(): DialectAdapter {
    return this.inner.createAdapter();
  }
  createIntrospector(db: Parameters<Dialect['createIntrospector']>[0]): DatabaseIntrospector {
    return this.inner.createIntrospector(db);
  }
}

class GuardedConnection implements DatabaseConnection {
  /** The error of the last statement that failed, for a rollback that fails after it. */
  lastError: unknown;

  constructor(
    readonly inner: DatabaseConnection,
    private readonly sqlite?: SqliteGuard,
  ) {}

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    try {
      const result = this.sqlite
        ? await this.executeOnSqlite<R>(compiledQuery, this.sqlite)
        : await this.inner.executeQuery<R>(compiledQuery);
      this.lastError = undefined;
      return result;
    } catch (error) {
      this.lastError = error;
      throw error;
    }
  }

  streamQuery<R>(compiledQuery: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    if (this.sqlite) assertSqliteBindable(compiledQuery.parameters);
    return this.inner.streamQuery<R>(compiledQuery, chunkSize);
  }

  /**
   * libsql leaves a statement that failed with SQLITE_BUSY in progress until the garbage collector
   * finalizes it, and until then every COMMIT on the connection fails ("cannot commit transaction - SQL
   * statements in progress"). So no prepared statement may meet a lock: BEGIN, COMMIT and ROLLBACK run
   * through exec (which finalizes its statement even when it fails), and a write outside a transaction
   * first takes the write lock with BEGIN IMMEDIATE, as a transaction does. Reads need no lock in WAL.
   */
  private async executeOnSqlite<R>(compiledQuery: CompiledQuery, guard: SqliteGuard): Promise<QueryResult<R>> {
    assertSqliteBindable(compiledQuery.parameters);
    const { handle } = guard;
    const { sql } = compiledQuery;
    if (TRANSACTION_CONTROL.test(sql) && compiledQuery.parameters.length === 0) {
      // Inside a transaction only COMMIT may be retried: SQLite's advice for any other statement is to
      // roll back. BEGIN IMMEDIATE runs before the transaction exists, so it is retried here.
      const retryable = !inTransaction(handle) || /^\s*commit\b/i.test(sql);
      await retryingBusy(() => handle.exec(sql), guard.retry, retryable);
      return { rows: [] };
    }
    if (inTransaction(handle) || READS_ONLY.test(sql)) {
      return retryingBusy(() => this.inner.executeQuery<R>(compiledQuery), guard.retry, !inTransaction(handle));
    }
    await retryingBusy(() => handle.exec('begin immediate'), guard.retry, true);
    try {
      const result = await this.inner.executeQuery<R>(compiledQuery);
      await retryingBusy(() => handle.exec('commit'), guard.retry, true);
      return result;
    } catch (error) {
      if (inTransaction(handle)) {
        try {
          handle.exec('rollback');
        } catch (rollbackError) {
          if (error instanceof Error) {
            Object.defineProperty(error, 'rollbackError', {
              value: rollbackError,
              enumerable: true,
              configurable: true,
            });
          }
        }
      }
      throw error;
    }
  }
}

/** Statements that begin or end a transaction (savepoints run inside one, where no lock is met). */
const TRANSACTION_CONTROL = /^\s*(begin|commit|end|rollback)\b/i;
/** Statements that never take the write lock. Anything else (a CTE too) is treated as a write. */
const READS_ONLY = /^\s*(select|pragma|explain)\b/i;

/** Runs `attempt`, retrying a locked database after an awaited timer until the bound, then DatabaseBusyError. */
async function retryingBusy<T>(attempt: () => T | Promise<T>, retry: BusyRetry, retryable: boolean): Promise<T> {
  const started = Date.now();
  let delay = retry.initialDelayMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (!isSqliteBusy(error)) throw error;
      const waited = Date.now() - started;
      if (!retryable || waited + delay > retry.boundMs) throw new DatabaseBusyError(waited, { cause: error });
      await sleep(delay);
      delay = Math.min(delay * 2, retry.maxDelayMs);
    }
  }
}

class GuardedDriver implements Driver {
  constructor(
    private readonly inner: Driver,
    private readonly sqlite?: SqliteGuard,
  ) {}

  init(): Promise<void> {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    return new GuardedConnection(await this.inner.acquireConnection(), this.sqlite);
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    if (this.sqlite) {
      await connection.executeQuery(CompiledQuery.raw('begin immediate'));
      return;
    }
    await this.inner.beginTransaction(connection, settings);
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.commitTransaction(connection);
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const guarded = connection as GuardedConnection;
    // SQLite rolls the whole transaction back itself on some errors (IOERR, FULL, BUSY at commit):
    // there is nothing left to roll back, and trying would only replace the cause with
    // "cannot rollback - no transaction is active".
    if (this.sqlite && !inTransaction(this.sqlite.handle)) return;
    try {
      await this.inner.rollbackTransaction(connection);
    } catch (rollbackError) {
      const original = guarded.lastError;
      if (!(original instanceof Error)) throw rollbackError;
      Object.defineProperty(original, 'rollbackError', { value: rollbackError, enumerable: true, configurable: true });
      throw original;
    }
  }

  async savepoint(
    connection: DatabaseConnection,
    savepointName: string,
    compileQuery: QueryCompiler['compileQuery'],
  ): Promise<void> {
    await this.inner.savepoint?.(connection, savepointName, compileQuery);
  }

  async rollbackToSavepoint(
    connection: DatabaseConnection,
    savepointName: string,
    compileQuery: QueryCompiler['compileQuery'],
  ): Promise<void> {
    await this.inner.rollbackToSavepoint?.(connection, savepointName, compileQuery);
  }

  async releaseSavepoint(
    connection: DatabaseConnection,
    savepointName: string,
    compileQuery: QueryCompiler['compileQuery'],
  ): Promise<void> {
    await this.inner.releaseSavepoint?.(connection, savepointName, compileQuery);
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    // The inner driver knows its own connection object (pg's pool release hangs off it).
    return this.inner.releaseConnection((connection as GuardedConnection).inner);
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}

/** libsql aborts the process when a closed handle is asked (better-sqlite3 answered false). */
function inTransaction(handle: Libsql.Database): boolean {
  return handle.open && handle.inTransaction;
}

function isSqliteBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

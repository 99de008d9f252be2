import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection } from '@temporalio/client';
import Fastify, { type FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import Libsql from 'libsql';
import { afterEach, describe, expect, it } from 'vitest';
import { newloomApi } from '../../src/api/app.js';
import { openDatabase, type Database } from '../../src/db/database.js';
import { DatabaseBusyError, isDatabaseUnavailable } from '../../src/db/database-errors.js';
import type { BusyRetry } from '../../src/db/guarded-driver.js';
import { clientConnectionOptions } from '../../src/temporal/client.js';

// Faults of the database under the real driver: another connection locking the file, a disk that
// fills mid-transaction, a database that refuses writes. None may freeze the process or hide its cause.

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function fileDatabase(busyRetry?: BusyRetry): Promise<{ db: Database; file: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'newloom-faults-'));
  const file = join(dir, 'newloom.db');
  const db = await openDatabase(`sqlite:${file}`, busyRetry ? { busyRetry } : {});
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  cleanups.push(() => db.destroy());
  return { db, file };
}

/** The API on this database; its Temporal client points at a port nothing listens on. */
async function apiOn(db: Database): Promise<FastifyInstance> {
  const client = new Client({
    connection: Connection.lazy(clientConnectionOptions({ address: '127.0.0.1:1', callDeadlineMs: 1000 })),
  });
  const app = Fastify();
  await app.register(newloomApi, { db, temporal: { client, taskQueue: 'unused' } });
  await app.ready();
  cleanups.push(() => app.close());
  return app;
}

/** Another process's view of the file (the lock is the file's, so a second handle is as good): holds its write lock for a while. */
function lockFor(file: string, ms: number): Promise<void> {
  const other = new Libsql(file);
  other.exec('BEGIN EXCLUSIVE');
  return sleep(ms).then(() => {
    other.exec('COMMIT');
    other.close();
  });
}

/** The longest the event loop went without running a 10 ms timer while `work` ran. */
async function longestStall(work: () => Promise<unknown>): Promise<number> {
  let last = Date.now();
  let longest = 0;
  const ticker = setInterval(() => {
    const now = Date.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 10);
  try {
    await work();
  } finally {
    clearInterval(ticker);
  }
  return Math.max(longest, Date.now() - last);
}

describe('a database locked by another connection', () => {
  it('waits without freezing the process, answers /healthz meanwhile, and writes once the lock clears', async () => {
    const { db, file } = await fileDatabase();
    const app = await apiOn(db);
    const unlocked = lockFor(file, 3000);
    let created: { statusCode: number; ms: number } | undefined;
    const healthTimes: number[] = [];
    const stall = await longestStall(async () => {
      const started = Date.now();
      const write = app
        .inject({ method: 'POST', url: '/sources', payload: { name: 'Written under a lock' } })
        .then((response) => {
          created = { statusCode: response.statusCode, ms: Date.now() - started };
        });
      for (let probe = 0; probe < 5; probe++) {
        await sleep(400);
        const healthStarted = Date.now();
        expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
        healthTimes.push(Date.now() - healthStarted);
      }
      await write;
      await unlocked;
    });
    // Before: one blocked write stopped everything for the 5 s busy timeout (here, the 3 s lock).
    // Measured after: ~40 ms; the bound leaves room for a loaded machine.
    expect(stall).toBeLessThan(1000);
    expect(Math.max(...healthTimes)).toBeLessThan(1000);
    expect(created?.statusCode).toBe(201);
    expect(created?.ms).toBeGreaterThanOrEqual(2500);
    const names = (await app.inject({ method: 'GET', url: '/sources' }))
      .json<{ sources: Array<{ name: string }> }>()
      .sources.map((source) => source.name);
    expect(names).toContain('Written under a lock');
  }, 20_000);

  it('gives up after its bound with DB_BUSY, which the API answers as 503 with Retry-After', async () => {
    const { db, file } = await fileDatabase({ boundMs: 500, initialDelayMs: 10, maxDelayMs: 100 });
    const app = await apiOn(db);
    const unlocked = lockFor(file, 3000);
    const error = await sql`insert into health_checks (id, checked_at) values ('x', 'now')`.execute(db).then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(DatabaseBusyError);
    expect(error).toMatchObject({ code: 'DB_BUSY' });
    const response = await app.inject({ method: 'POST', url: '/sources', payload: { name: 'Refused under a lock' } });
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(response.json()).toMatchObject({ error: { code: 'DATABASE_BUSY' } });
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json<{ checks: { database: string } }>().checks.database).toMatch(/locked/);
    await unlocked;
  }, 20_000);

  it('takes the write lock when a transaction begins, so a busy database never fails it halfway', async () => {
    const { db, file } = await fileDatabase();
    const unlocked = lockFor(file, 1000);
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('health_checks').values({ id: 'a', checked_at: 'then' }).execute();
      await trx.insertInto('health_checks').values({ id: 'b', checked_at: 'then' }).execute();
    });
    await unlocked;
    expect(await db.selectFrom('health_checks').select('id').orderBy('id').execute()).toEqual([
      { id: 'a' },
      { id: 'b' },
    ]);
  });
});

describe('after a statement gave up on a lock', () => {
  // libsql leaves a statement that met a lock in progress until the garbage collector finalizes it, and
  // until then every COMMIT on the connection fails with "SQL statements in progress".
  it('the next write and the next transaction commit once the lock clears', async () => {
    const { db, file } = await fileDatabase({ boundMs: 300, initialDelayMs: 10, maxDelayMs: 50 });
    const unlocked = lockFor(file, 1000);
    const insert = (id: string) => db.insertInto('health_checks').values({ id, checked_at: 'then' }).execute();
    await expect(insert('refused')).rejects.toMatchObject({ code: 'DB_BUSY' });
    await expect(
      db
        .transaction()
        .execute((trx) => trx.insertInto('health_checks').values({ id: 'x', checked_at: 'then' }).execute()),
    ).rejects.toMatchObject({ code: 'DB_BUSY' });
    await unlocked;
    await insert('a');
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('health_checks').values({ id: 'b', checked_at: 'then' }).execute();
    });
    expect(await db.selectFrom('health_checks').select('id').orderBy('id').execute()).toEqual([
      { id: 'a' },
      { id: 'b' },
    ]);
  });
});

describe('a statement that fails inside a transaction', () => {
  it('keeps its own error when SQLite has already rolled the transaction back (disk full)', async () => {
    const { db } = await fileDatabase();
    // A database that may not grow past its current size: the next large write fails with SQLITE_FULL,
    // and SQLite rolls the whole transaction back itself, as it does on an I/O error.
    const { rows } = await sql<{ page_count: number }>`pragma page_count`.execute(db);
    await sql.raw(`pragma max_page_count = ${rows[0]!.page_count}`).execute(db);
    const error = await db
      .transaction()
      .execute((trx) =>
        sql`insert into health_checks (id, checked_at) values ('big', hex(randomblob(200000)))`.execute(trx),
      )
      .then(
        () => undefined,
        (failure: unknown) => failure,
      );
    // Before: "cannot rollback - no transaction is active".
    expect(error).toMatchObject({ code: 'SQLITE_FULL', message: expect.stringMatching(/full/) });
    const app = await apiOn(db);
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.json<{ checks: { database: string } }>().checks.database).toBe('ok');
  }, 20_000);
});

describe('a value SQLite cannot bind', () => {
  // libsql's native code aborts the process on a boolean parameter; this test's process would die with it.
  it('rejects the statement with a TypeError and leaves the process and the database working', async () => {
    const { db } = await fileDatabase();
    const bound = await sql`select ${true} as flag`.execute(db).then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(bound).toBeInstanceOf(TypeError);
    expect(bound).toMatchObject({ message: expect.stringMatching(/can only bind.*parameter 1 is boolean/) });
    const streamed = db
      .selectFrom('health_checks')
      .select('id')
      .where(sql<boolean>`${false}`)
      .stream();
    await expect(streamed.next()).rejects.toBeInstanceOf(TypeError);
    await expect(sql`select ${new Date(0)} as at`.execute(db)).rejects.toBeInstanceOf(TypeError);
    expect((await sql<{ one: number }>`select ${1} as one`.execute(db)).rows).toEqual([{ one: 1 }]);
  });
});

describe('a database that refuses writes', () => {
  it('answers reads, refuses writes with 503 DATABASE_UNAVAILABLE, and /readyz says why', async () => {
    const { db } = await fileDatabase();
    const app = await apiOn(db);
    expect((await app.inject({ method: 'POST', url: '/sources', payload: { name: 'Before' } })).statusCode).toBe(201);
    let ready = await app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.json<{ checks: { database: string } }>().checks.database).toBe('ok');

    // The database as a read-only file shows it to this process (chmod 444 cannot, for root runs tests in CI containers).
    await sql`pragma query_only = on`.execute(db);
    expect((await app.inject({ method: 'GET', url: '/sources' })).statusCode).toBe(200);
    const refused = await app.inject({ method: 'POST', url: '/sources', payload: { name: 'After' } });
    expect(refused.statusCode).toBe(503);
    expect(refused.headers['retry-after']).toBe('5');
    expect(refused.json()).toMatchObject({ error: { code: 'DATABASE_UNAVAILABLE' } });
    ready = await app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json<{ checks: { database: string } }>().checks.database).toMatch(/readonly/);
  }, 20_000);
});

describe('Temporal unreachable', () => {
  it('answers 503 TEMPORAL_UNAVAILABLE with Retry-After within the call deadline, not 500 after 20 s', async () => {
    const { db } = await fileDatabase();
    const app = await apiOn(db);
    const started = Date.now();
    const response = await app.inject({ method: 'GET', url: '/runs/some_run' });
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(response.json()).toMatchObject({ error: { code: 'TEMPORAL_UNAVAILABLE' } });
    expect(Date.now() - started).toBeLessThan(5000);
  }, 20_000);
});

describe('what counts as the database being unavailable', () => {
  const withCode = (code: string, message = 'failed') => Object.assign(new Error(message), { code });

  it.each([
    ['a refused connection to PostgreSQL', withCode('ECONNREFUSED')],
    ['PostgreSQL shutting down (57P01)', withCode('57P01', 'terminating connection due to administrator command')],
    ['a connection exception (class 08)', withCode('08006')],
    ["the pool's connect timeout", new Error('timeout exceeded when trying to connect')],
    [
      'an I/O error of SQLite, as the cause of another error',
      new Error('saving failed', { cause: withCode('SQLITE_IOERR_WRITE') }),
    ],
  ])('%s is', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a constraint violation', withCode('SQLITE_CONSTRAINT_UNIQUE')],
    ['a unique violation of PostgreSQL', withCode('23505')],
    ['a plain error', new Error('no such column: nope')],
  ])('%s is not', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});

import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/database.js';
import { NOW_MS, PostgresHostGate } from '../../src/db/host-leases.js';
import { PostgresRobotsAnswers } from '../../src/db/robots-answers.js';
import { createScratchDatabase } from '../helpers/postgres.js';

const postgresAdminUrl = inject('postgresAdminUrl');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether `acquire` got a slot before `withinMs`, and the release if it did. */
async function acquireWithin(gate: PostgresHostGate, host: string, withinMs: number) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error('gave up')), withinMs);
  try {
    return { release: await gate.acquire(host, controller.signal) };
  } catch {
    return { release: undefined };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The two pieces of politeness state on PostgreSQL, seen from several workers on one database: what a
 * worker that dies holding a slot or a robots.txt claim leaves behind, and that a live holder keeps it.
 */
describe.runIf(postgresAdminUrl)('shared politeness state on PostgreSQL', () => {
  let db: Database;

  beforeAll(async () => {
    db = await openDatabase(await createScratchDatabase(postgresAdminUrl, `politeness_${randomUUID().slice(0, 8)}`));
  });
  afterAll(async () => {
    await db?.destroy();
  });

  it('frees the slot of a worker that died holding it once its lease lapses', async () => {
    const host = `dead-holder-${randomUUID()}.example`;
    // A worker killed mid-request leaves its lease row, with nobody left to renew or remove it.
    await sql`INSERT INTO host_gates (host, next_start_at) VALUES (${host}, 0)`.execute(db);
    await sql`INSERT INTO host_leases (id, host, expires_at) VALUES (${randomUUID()}, ${host}, ${NOW_MS} + 1500)`.execute(
      db,
    );
    const survivor = new PostgresHostGate(db, { concurrency: 1, minIntervalMs: 0, pollMs: 50 });

    expect((await acquireWithin(survivor, host, 500)).release).toBeUndefined();
    const later = await acquireWithin(survivor, host, 10_000);
    expect(later.release).toBeDefined();
    later.release!();
  });

  it('keeps the slot of a live holder past its lease, and hands it on when released', async () => {
    const host = `live-holder-${randomUUID()}.example`;
    const holder = new PostgresHostGate(db, { concurrency: 1, minIntervalMs: 0, leaseMs: 300, pollMs: 50 });
    const other = new PostgresHostGate(db, { concurrency: 1, minIntervalMs: 0, leaseMs: 300, pollMs: 50 });
    const held = await acquireWithin(holder, host, 5_000);
    expect(held.release).toBeDefined();

    // Four lease lengths: without renewal the slot would have been taken.
    expect((await acquireWithin(other, host, 1_200)).release).toBeUndefined();
    held.release!();
    const next = await acquireWithin(other, host, 5_000);
    expect(next.release).toBeDefined();
    next.release!();
  });

  it('lets one worker claim an origin’s robots.txt fetch, and another take over a lapsed claim', async () => {
    const origin = `https://claims-${randomUUID()}.example`;
    const first = new PostgresRobotsAnswers(db);
    const second = new PostgresRobotsAnswers(db);

    expect(await first.claim(origin, 400)).toBe(true);
    expect(await second.claim(origin, 400)).toBe(false);
    await sleep(600);
    expect(await second.claim(origin, 400)).toBe(true);

    // The answer saved ends the claim: whoever asks next finds the answer.
    await second.save(origin, 'User-agent: *\nDisallow: /private\n');
    expect(await first.find(origin, 60_000)).toEqual({ body: 'User-agent: *\nDisallow: /private\n' });
    expect(await first.claim(origin, 400)).toBe(true);
  });
});

import { createHash } from 'node:crypto';
import type { Database } from './database.js';

/** How long a key answers the run it started; after that the same key starts a new run. */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60 * 1000;

export interface IdempotentRunReservation {
  runId: string;
  /** The key was seen before (within its 24 hours): runId is the run that request started. */
  replayed: boolean;
}

const digestOf = (key: string) => createHash('sha256').update(key).digest('hex');

/**
 * Maps (scope, key) to a run id before the run is started. The primary key makes this the one place
 * two requests with the same key can race: the loser reads the winner's run id. A key older than 24
 * hours is taken over by a compare-and-swap on its time, so of two such requests one wins too.
 */
export async function reserveIdempotentRun(
  db: Database,
  reservation: { scope: string; key: string; runId: string; now?: Date },
): Promise<IdempotentRunReservation> {
  const now = reservation.now ?? new Date();
  const digest = digestOf(reservation.key);
  const expiredBefore = new Date(now.getTime() - IDEMPOTENCY_KEY_TTL_MS).toISOString();
  for (let round = 0; round < 3; round += 1) {
    const inserted = await db
      .insertInto('idempotency_keys')
      .values({
        scope: reservation.scope,
        key_digest: digest,
        run_id: reservation.runId,
        created_at: now.toISOString(),
      })
      .onConflict((conflict) => conflict.columns(['scope', 'key_digest']).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0) {
      // Keys nobody can replay any more go now and then, on a new key's insert.
      await db.deleteFrom('idempotency_keys').where('created_at', '<', expiredBefore).execute();
      return { runId: reservation.runId, replayed: false };
    }
    const existing = await db
      .selectFrom('idempotency_keys')
      .select(['run_id', 'created_at'])
      .where('scope', '=', reservation.scope)
      .where('key_digest', '=', digest)
      .executeTakeFirst();
    if (!existing) continue; // released or expired meanwhile: insert again
    if (existing.created_at >= expiredBefore) return { runId: existing.run_id, replayed: true };
    const taken = await db
      .updateTable('idempotency_keys')
      .set({ run_id: reservation.runId, created_at: now.toISOString() })
      .where('scope', '=', reservation.scope)
      .where('key_digest', '=', digest)
      .where('created_at', '=', existing.created_at)
      .executeTakeFirst();
    if (Number(taken.numUpdatedRows) > 0) return { runId: reservation.runId, replayed: false };
  }
  throw new Error(`idempotency key of ${reservation.scope} kept changing while it was reserved`);
}

/** Gives the key back when its run was not started after all (refused with 409, or the start failed). */
export async function releaseIdempotentRun(
  db: Database,
  reservation: { scope: string; key: string; runId: string },
): Promise<void> {
  await db
    .deleteFrom('idempotency_keys')
    .where('scope', '=', reservation.scope)
    .where('key_digest', '=', digestOf(reservation.key))
    .where('run_id', '=', reservation.runId)
    .execute();
}

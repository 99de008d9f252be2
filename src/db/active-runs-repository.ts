import { sql } from 'kysely';
import { databaseDialect, type Database } from './database.js';

export interface ActiveRunClaim {
  runId: string;
  claimedAt: string;
}

/**
 * Claims the stream for a run only if no run of it is claimed: true when this run now holds it. One
 * statement on SQLite (one writer at a time); on PostgreSQL the stream's row lock orders two starts
 * that race, so they cannot both see no claim.
 */
export async function claimIfIdle(
  db: Database,
  claim: { streamId: string; runId: string; now?: Date },
): Promise<boolean> {
  const claimedAt = (claim.now ?? new Date()).toISOString();
  return db.transaction().execute(async (tx) => {
    if (databaseDialect(db) === 'postgres')
      await tx.selectFrom('streams').select('id').where('id', '=', claim.streamId).forUpdate().execute();
    const inserted = await sql`
      insert into active_runs (stream_id, run_id, claimed_at)
      select ${claim.streamId}, ${claim.runId}, ${claimedAt}
      where not exists (select 1 from active_runs where stream_id = ${claim.streamId})`.execute(tx);
    return Number(inserted.numAffectedRows ?? 0) > 0;
  });
}

/** Records a run as going whatever else is (a forced start, or a run claiming itself); idempotent. */
export async function claimActiveRun(
  db: Database,
  claim: { streamId: string; runId: string; now?: Date },
): Promise<void> {
  await db
    .insertInto('active_runs')
    .values({ stream_id: claim.streamId, run_id: claim.runId, claimed_at: (claim.now ?? new Date()).toISOString() })
    .onConflict((conflict) => conflict.columns(['stream_id', 'run_id']).doNothing())
    .execute();
}

export async function listActiveRunClaims(db: Database, streamId: string): Promise<ActiveRunClaim[]> {
  const rows = await db
    .selectFrom('active_runs')
    .select(['run_id', 'claimed_at'])
    .where('stream_id', '=', streamId)
    .orderBy('claimed_at')
    .execute();
  return rows.map((row) => ({ runId: row.run_id, claimedAt: row.claimed_at }));
}

export async function releaseActiveRun(db: Database, claim: { streamId: string; runId: string }): Promise<void> {
  await db
    .deleteFrom('active_runs')
    .where('stream_id', '=', claim.streamId)
    .where('run_id', '=', claim.runId)
    .execute();
}

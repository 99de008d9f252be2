import type { Kysely, Migration } from 'kysely';

/**
 * The runs of each stream that are going, as the database knows them: the API's active-run check reads
 * this instead of asking Temporal's visibility store on every start (src/temporal/active-run-gate.ts).
 * A manual run is claimed by the API before it is started; any other run (scheduled, probe) claims
 * itself in its first activity; every run's outcome record removes its claim.
 */
export const activeRunsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('active_runs')
      .addColumn('stream_id', 'text', (column) => column.notNull())
      .addColumn('run_id', 'text', (column) => column.notNull())
      .addColumn('claimed_at', 'text', (column) => column.notNull())
      .addPrimaryKeyConstraint('active_runs_pkey', ['stream_id', 'run_id'])
      .execute();
  },
};

import type { Kysely, Migration } from 'kysely';

/** Streams run on Temporal Schedules: their frequency, overlap policy and pause note live here. */
export const streamScheduleMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('streams').addColumn('frequency', 'text').execute();
    await db.schema
      .alterTable('streams')
      .addColumn('overlap_policy', 'text', (column) => column.notNull().defaultTo('skip'))
      .execute();
    await db.schema.alterTable('streams').addColumn('pause_note', 'text').execute();
  },
};

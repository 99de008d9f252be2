import type { Kysely, Migration } from 'kysely';

/**
 * Whether a stream's Temporal Schedule could be made to match it, and why not: a stream whose schedule
 * Temporal refuses (a legacy cron out of range, say) is recorded as `error` with the reason instead of
 * stopping the API and `npm start` at the reconcile. Existing streams start `ok`; the next reconcile
 * tells otherwise.
 */
export const streamScheduleStatusMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable('streams')
      .addColumn('schedule_status', 'text', (column) => column.notNull().defaultTo('ok'))
      .execute();
    await db.schema.alterTable('streams').addColumn('schedule_error', 'text').execute();
  },
};

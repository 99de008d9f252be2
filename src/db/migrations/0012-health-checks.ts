import type { Kysely, Migration } from 'kysely';

/**
 * One row per process that probes readiness: /readyz upserts it in a transaction, so a database that
 * reads but cannot write (read-only file, full disk, a lock that never clears) is reported not ready.
 */
export const healthChecksMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('health_checks')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('checked_at', 'text', (column) => column.notNull())
      .execute();
  },
};

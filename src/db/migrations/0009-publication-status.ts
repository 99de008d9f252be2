import type { Kysely, Migration } from 'kysely';

/**
 * A publication is claimed before its message is sent and settled after, so a crash between the two
 * leaves a row that says so ('sending') instead of nothing, and the item is never sent twice.
 * Rows written before this migration were only ever written after a send: they are 'sent'.
 */
export const publicationStatusMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable('publications')
      .addColumn('status', 'text', (column) => column.notNull().defaultTo('sent'))
      .execute();
    await db.schema.alterTable('publications').addColumn('error', 'text').execute();
    await db.schema.createIndex('publications_status').on('publications').columns(['status', 'channel']).execute();
  },
};

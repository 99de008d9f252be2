import type { Kysely, Migration } from 'kysely';

/** A source may name its site, for people reading items; de-duplication stays per source id. */
export const sourceUrlMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('sources').addColumn('url', 'text').execute();
    await db.schema.createIndex('items_source_first_seen').on('items').columns(['source_id', 'id']).execute();
  },
};

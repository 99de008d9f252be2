import type { Kysely, Migration } from 'kysely';

/**
 * Posts (telegram_channel) keep the addresses of their photos, videos and files, as a JSON array in a
 * text column: both dialects store it alike, and it is read whole with the item, never queried into.
 */
export const itemMediaMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('items').addColumn('media_urls', 'text').execute();
  },
};

import type { Kysely, Migration } from 'kysely';
import type { SqlDialect } from '../dialect.js';

/**
 * What publishing streams (Telegram and others) will record: one row per item and channel, so an item
 * is never published twice to the same channel, however often a publishing run is retried.
 */
export const publicationsMigration = (dialect: SqlDialect): Migration => ({
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('publications')
      .addColumn('id', dialect === 'postgres' ? 'serial' : 'integer', (column) =>
        dialect === 'postgres' ? column.primaryKey() : column.primaryKey().autoIncrement(),
      )
      .addColumn('item_id', 'integer', (column) => column.notNull().references('items.id').onDelete('cascade'))
      .addColumn('channel', 'text', (column) => column.notNull())
      .addColumn('stream_id', 'text', (column) => column.notNull())
      .addColumn('run_id', 'text', (column) => column.notNull())
      .addColumn('external_id', 'text')
      .addColumn('published_at', 'text', (column) => column.notNull())
      .addUniqueConstraint('publications_item_channel_unique', ['item_id', 'channel'])
      .execute();
    await db.schema
      .createIndex('publications_channel_published')
      .on('publications')
      .columns(['channel', 'published_at'])
      .execute();
  },
});

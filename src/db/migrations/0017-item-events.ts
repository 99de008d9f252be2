import type { Kysely, Migration } from 'kysely';
import type { SqlDialect } from '../dialect.js';

/**
 * An item's lineage (GET /items/:id/lineage): one compact row per thing that happened to it (first
 * seen, with the run's attempt; parse_now read or skipped it; a publication claimed and settled),
 * written in the transactions that already do those things. Later sightings are not a row each (a
 * 5-minute feed re-reads the same 20 items 288 times a day): the item keeps a count and the first and
 * last run that saw it again.
 */
export const itemEventsMigration = (dialect: SqlDialect): Migration => ({
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('item_events')
      .addColumn('id', dialect === 'postgres' ? 'serial' : 'integer', (column) =>
        dialect === 'postgres' ? column.primaryKey() : column.primaryKey().autoIncrement(),
      )
      .addColumn('item_id', 'integer', (column) => column.notNull().references('items.id').onDelete('cascade'))
      .addColumn('at', 'text', (column) => column.notNull())
      .addColumn('kind', 'text', (column) => column.notNull())
      .addColumn('run_id', 'text', (column) => column.notNull())
      .addColumn('stream_id', 'text', (column) => column.notNull())
      .addColumn('attempt', 'integer')
      .addColumn('detail', 'text')
      .execute();
    await db.schema.createIndex('item_events_item').on('item_events').columns(['item_id', 'id']).execute();
    await db.schema
      .alterTable('items')
      .addColumn('seen_again_count', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema.alterTable('items').addColumn('seen_again_first_run_id', 'text').execute();
    await db.schema.alterTable('items').addColumn('seen_again_last_run_id', 'text').execute();
    await db.schema.alterTable('items').addColumn('seen_again_last_at', 'text').execute();
  },
});

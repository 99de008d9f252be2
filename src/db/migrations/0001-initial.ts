import { type Kysely, type Migration } from 'kysely';
import type { SqlDialect } from '../dialect.js';

export const initialMigration = (dialect: SqlDialect): Migration => ({
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('sources')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('name', 'text', (column) => column.notNull().unique())
      .addColumn('created_at', 'text', (column) => column.notNull())
      .execute();

    await db.schema
      .createTable('streams')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('name', 'text', (column) => column.notNull().unique())
      .addColumn('task_type', 'text', (column) => column.notNull())
      .addColumn('config', 'text', (column) => column.notNull())
      .addColumn('source_id', 'text', (column) => column.notNull().references('sources.id'))
      .addColumn('status', 'text', (column) => column.notNull().defaultTo('active'))
      .addColumn('created_at', 'text', (column) => column.notNull())
      .addColumn('updated_at', 'text', (column) => column.notNull())
      .addColumn('last_run_id', 'text')
      .addColumn('last_run_status', 'text')
      .addColumn('last_run_at', 'text')
      .addColumn('last_run_counts', 'text')
      .addColumn('last_run_error', 'text')
      .execute();

    await db.schema
      .createTable('items')
      .addColumn('id', dialect === 'postgres' ? 'serial' : 'integer', (column) =>
        dialect === 'postgres' ? column.primaryKey() : column.primaryKey().autoIncrement(),
      )
      .addColumn('source_id', 'text', (column) => column.notNull().references('sources.id'))
      .addColumn('canonical_url', 'text', (column) => column.notNull())
      .addColumn('url', 'text', (column) => column.notNull())
      .addColumn('title', 'text')
      .addColumn('summary', 'text')
      .addColumn('author', 'text')
      .addColumn('published_at', 'text')
      .addColumn('first_seen_at', 'text', (column) => column.notNull())
      .addColumn('stream_id', 'text', (column) => column.notNull())
      .addColumn('run_id', 'text', (column) => column.notNull())
      // The de-duplication rule: one item per source and canonical URL, whichever stream finds it.
      .addUniqueConstraint('items_source_canonical_url_unique', ['source_id', 'canonical_url'])
      .execute();

    await db.schema.createIndex('items_run_id').on('items').column('run_id').execute();
    await db.schema.createIndex('items_stream_id').on('items').columns(['stream_id', 'first_seen_at']).execute();
  },
});

import { sql, type Kysely, type Migration } from 'kysely';
import type { SqlDialect } from '../dialect.js';

const autoId = (dialect: SqlDialect) => (dialect === 'postgres' ? 'serial' : 'integer');

/**
 * Media (an outlet: the sources it draws on and the style it writes in) and docs (what is written for
 * it: by news_stream from its sources' news, then edited, published). Publications now record docs as
 * well as items: exactly one of item_id and doc_id is set, each unique per channel.
 */
export const mediaAndDocsMigration = (dialect: SqlDialect): Migration => ({
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('media')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('name', 'text', (column) => column.notNull().unique())
      .addColumn('style_examples', 'text', (column) => column.notNull().defaultTo('[]'))
      .addColumn('created_at', 'text', (column) => column.notNull())
      .addColumn('updated_at', 'text', (column) => column.notNull())
      .execute();
    await db.schema
      .createTable('media_sources')
      .addColumn('media_id', 'text', (column) => column.notNull().references('media.id').onDelete('cascade'))
      .addColumn('source_id', 'text', (column) => column.notNull().references('sources.id').onDelete('cascade'))
      .addPrimaryKeyConstraint('media_sources_pk', ['media_id', 'source_id'])
      .execute();

    await db.schema
      .createTable('docs')
      .addColumn('id', autoId(dialect), (column) =>
        dialect === 'postgres' ? column.primaryKey() : column.primaryKey().autoIncrement(),
      )
      .addColumn('media_id', 'text', (column) => column.notNull().references('media.id').onDelete('cascade'))
      .addColumn('title', 'text', (column) => column.notNull())
      .addColumn('text', 'text', (column) => column.notNull())
      .addColumn('url', 'text')
      .addColumn('status', 'text', (column) => column.notNull().defaultTo('new'))
      .addColumn('google_doc_url', 'text')
      .addColumn('stream_id', 'text', (column) => column.notNull())
      .addColumn('run_id', 'text', (column) => column.notNull())
      // Which document of its run: a retried save finds the same (run, position) and inserts nothing.
      .addColumn('position', 'integer', (column) => column.notNull())
      .addColumn('created_at', 'text', (column) => column.notNull())
      .addColumn('updated_at', 'text', (column) => column.notNull())
      .addColumn('published_at', 'text')
      .addUniqueConstraint('docs_run_position_unique', ['run_id', 'position'])
      .execute();
    await db.schema.createIndex('docs_media_status').on('docs').columns(['media_id', 'status', 'created_at']).execute();

    // item_id becomes optional, which SQLite can only do by rebuilding the table.
    await db.schema
      .createTable('publications_next')
      .addColumn('id', autoId(dialect), (column) =>
        dialect === 'postgres' ? column.primaryKey() : column.primaryKey().autoIncrement(),
      )
      .addColumn('item_id', 'integer', (column) => column.references('items.id').onDelete('cascade'))
      .addColumn('doc_id', 'integer', (column) => column.references('docs.id').onDelete('cascade'))
      .addColumn('channel', 'text', (column) => column.notNull())
      .addColumn('stream_id', 'text', (column) => column.notNull())
      .addColumn('run_id', 'text', (column) => column.notNull())
      .addColumn('external_id', 'text')
      .addColumn('published_at', 'text', (column) => column.notNull())
      .addColumn('status', 'text', (column) => column.notNull().defaultTo('sent'))
      .addColumn('error', 'text')
      .addUniqueConstraint('publications_item_channel', ['item_id', 'channel'])
      .addUniqueConstraint('publications_doc_channel', ['doc_id', 'channel'])
      .addCheckConstraint('publications_one_subject', sql`(item_id is null) <> (doc_id is null)`)
      .execute();
    // Ids are kept: they are API cursors and what people quote.
    await sql`insert into publications_next (id, item_id, doc_id, channel, stream_id, run_id, external_id, published_at, status, error)
      select id, item_id, null, channel, stream_id, run_id, external_id, published_at, status, error from publications order by id`.execute(
      db,
    );
    await db.schema.dropTable('publications').execute();
    await db.schema.alterTable('publications_next').renameTo('publications').execute();
    if (dialect === 'postgres') {
      // Explicit ids do not advance a serial's sequence: the next insert must continue after the copied rows.
      await sql`select setval(pg_get_serial_sequence('publications', 'id'), coalesce((select max(id) from publications), 0) + 1, false)`.execute(
        db,
      );
    }
    await db.schema
      .createIndex('publications_channel_published_at')
      .on('publications')
      .columns(['channel', 'published_at'])
      .execute();
    await db.schema
      .createIndex('publications_status_channel')
      .on('publications')
      .columns(['status', 'channel'])
      .execute();
  },
});

import type { Kysely, Migration } from 'kysely';

/**
 * ETag / Last-Modified per source and URL, for conditional GETs. Kept per source because items are
 * de-duplicated per source: a 304 may only mean "nothing new" for the source that saved the last answer.
 */
export const httpValidatorsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('http_validators')
      .addColumn('source_id', 'text', (column) => column.notNull())
      .addColumn('url', 'text', (column) => column.notNull())
      .addColumn('etag', 'text')
      .addColumn('last_modified', 'text')
      .addColumn('updated_at', 'text', (column) => column.notNull())
      .addPrimaryKeyConstraint('http_validators_pk', ['source_id', 'url'])
      .execute();
  },
};

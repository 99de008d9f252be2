import type { Kysely, Migration } from 'kysely';

/**
 * Two claims that keep a repeated or overlapping request from doing a thing twice:
 * - google_doc_creator claims a doc (which run, since when) before creating its Google Doc, so two
 *   overlapping runs never both create one (Drive's search can lag a file just created, so looking it
 *   up first is not enough on its own);
 * - a client's Idempotency-Key on "start a run" maps to the run it started, so a retried request
 *   answers that run instead of starting a second one. The key itself is kept only as a digest.
 */
export const runClaimsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('docs').addColumn('google_claim_run_id', 'text').execute();
    await db.schema.alterTable('docs').addColumn('google_claimed_at', 'text').execute();
    await db.schema
      .createTable('idempotency_keys')
      .addColumn('scope', 'text', (column) => column.notNull())
      .addColumn('key_digest', 'text', (column) => column.notNull())
      .addColumn('run_id', 'text', (column) => column.notNull())
      .addColumn('created_at', 'text', (column) => column.notNull())
      .addPrimaryKeyConstraint('idempotency_keys_pkey', ['scope', 'key_digest'])
      .execute();
    await db.schema.createIndex('idempotency_keys_created_at').on('idempotency_keys').column('created_at').execute();
  },
};

import type { Kysely, Migration } from 'kysely';

/**
 * google_doc_creator claims a doc (which run, since when) before creating its Google Doc, so two
 * overlapping runs never both create one: Drive's search can lag a file just created, so looking it
 * up first is not enough on its own.
 */
export const googleDocClaimsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('docs').addColumn('google_claim_run_id', 'text').execute();
    await db.schema.alterTable('docs').addColumn('google_claimed_at', 'text').execute();
  },
};

import type { Kysely, Migration } from 'kysely';

/** Streams may override their task's timeouts and retry policy (schemas/run-policy.ts), as JSON. */
export const streamRunPolicyMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('streams').addColumn('run_policy', 'text').execute();
  },
};

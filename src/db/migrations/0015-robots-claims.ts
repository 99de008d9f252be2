import { sql, type Kysely, type Migration } from 'kysely';
import type { SqlDialect } from '../dialect.js';

/**
 * Who is fetching an origin's robots.txt right now (src/db/robots-answers.ts): the first worker to ask
 * claims it and the others wait for its answer, so one fetch serves the installation. A claim lapses on
 * its own, so a worker that dies mid-fetch holds nobody up for long. PostgreSQL only, as 0014.
 */
export const robotsClaimsMigration = (dialect: SqlDialect): Migration => ({
  async up(db: Kysely<unknown>) {
    if (dialect !== 'postgres') return;
    await sql`CREATE TABLE robots_claims (origin text PRIMARY KEY, claimed_until bigint NOT NULL)`.execute(db);
  },
});

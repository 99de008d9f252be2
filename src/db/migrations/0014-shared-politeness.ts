import { sql, type Kysely, type Migration } from 'kysely';
import type { SqlDialect } from '../dialect.js';

/**
 * Politeness shared by every worker of an installation on PostgreSQL (src/db/host-leases.ts,
 * src/db/robots-answers.ts). Times are epoch milliseconds from the database's clock, so workers whose
 * clocks disagree still space their requests right. SQLite installations run one worker and keep this
 * state in process, so they get no tables.
 */
export const sharedPolitenessMigration = (dialect: SqlDialect): Migration => ({
  async up(db: Kysely<unknown>) {
    if (dialect !== 'postgres') return;
    await sql`CREATE TABLE host_gates (host text PRIMARY KEY, next_start_at bigint NOT NULL)`.execute(db);
    await sql`CREATE TABLE host_leases (
      id text PRIMARY KEY,
      host text NOT NULL,
      expires_at bigint NOT NULL
    )`.execute(db);
    await sql`CREATE INDEX host_leases_host ON host_leases (host, expires_at)`.execute(db);
    await sql`CREATE TABLE robots_answers (origin text PRIMARY KEY, body text, fetched_at bigint NOT NULL)`.execute(db);
  },
});

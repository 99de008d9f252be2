import { sql } from 'kysely';
import type { RobotsAnswerStore } from '../../activities/http/http-client.js';
import type { Database } from './database.js';
import { NOW_MS } from './host-leases.js';

/** Answers older than this are of no use to anyone (the cache's own TTL is an hour) and are dropped. */
const KEEP_MS = 24 * 60 * 60 * 1000;

/** robots.txt answers on PostgreSQL (migration 0014), read by every worker of the installation. */
export class PostgresRobotsAnswers implements RobotsAnswerStore {
  constructor(private readonly db: Database) {}

  async find(origin: string, maxAgeMs: number): Promise<{ body: string | null } | undefined> {
    const found = await sql<{ body: string | null }>`
      SELECT body FROM robots_answers WHERE origin = ${origin} AND fetched_at > ${NOW_MS} - ${maxAgeMs}`.execute(
      this.db,
    );
    return found.rows[0];
  }

  async save(origin: string, body: string | null): Promise<void> {
    // PostgreSQL text refuses NUL; robots-parser reads the file the same without it.
    const storable = body === null ? null : body.replaceAll('\0', '');
    await sql`
      INSERT INTO robots_answers (origin, body, fetched_at) VALUES (${origin}, ${storable}, ${NOW_MS})
      ON CONFLICT (origin) DO UPDATE SET body = excluded.body, fetched_at = excluded.fetched_at`.execute(this.db);
    await sql`DELETE FROM robots_answers WHERE fetched_at < ${NOW_MS} - ${KEEP_MS}`.execute(this.db);
    await sql`DELETE FROM robots_claims WHERE origin = ${origin} OR claimed_until < ${NOW_MS} - ${KEEP_MS}`.execute(
      this.db,
    );
  }

  /** One row per origin: whoever inserts it, or finds it lapsed and takes it over, fetches. */
  async claim(origin: string, forMs: number): Promise<boolean> {
    const won = await sql<{ origin: string }>`
      INSERT INTO robots_claims (origin, claimed_until) VALUES (${origin}, ${NOW_MS} + ${forMs})
      ON CONFLICT (origin) DO UPDATE SET claimed_until = excluded.claimed_until
        WHERE robots_claims.claimed_until < ${NOW_MS}
      RETURNING origin`.execute(this.db);
    return won.rows.length > 0;
  }
}

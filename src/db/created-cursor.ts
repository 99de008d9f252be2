/**
 * Keyset pages for tables whose ids are random strings (streams, sources, media): newest first by
 * (created_at, id). Neither column changes after insert and the pair is unique, so a page asks for the
 * rows strictly after the previous page's last key: a row inserted or deleted between two requests
 * never shifts the others (an offset would repeat or skip one). The comparison and the ORDER BY run in
 * the database with the same collation, so the order is the same total order on SQLite and PostgreSQL.
 */
import { sql, type RawBuilder, type SelectQueryBuilder } from 'kysely';

/** Where a page ends: the creation time and id of its last row. */
export interface CreatedKey {
  createdAt: string;
  id: string;
}

const MAX_PART_LENGTH = 100;

/** Opaque to clients (base64url of a JSON pair) so nobody builds one by hand and depends on its form. */
export function encodeCreatedCursor(key: CreatedKey): string {
  return Buffer.from(JSON.stringify([key.createdAt, key.id])).toString('base64url');
}

/** The key a cursor carries, or undefined when it is not one this API issued (or was mangled). */
export function decodeCreatedCursor(cursor: string): CreatedKey | undefined {
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(cursor)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) return undefined;
  const [createdAt, id] = parsed as unknown[];
  const isPart = (value: unknown): value is string =>
    typeof value === 'string' && value.length > 0 && value.length <= MAX_PART_LENGTH;
  return isPart(createdAt) && isPart(id) ? { createdAt, id } : undefined;
}

/** The filter "after this key" in the newest-first order; pair it with `orderBy created_at desc, id desc`. */
function afterCreatedKey(key: CreatedKey): RawBuilder<boolean> {
  // Row values compare column by column, exactly as that ORDER BY sorts (SQLite 3.15+ and PostgreSQL).
  return sql<boolean>`(${sql.ref('created_at')}, ${sql.ref('id')}) < (${key.createdAt}, ${key.id})`;
}

/**
 * One page of a listing read with `limit + 1` rows: the extra row only says another page exists; the
 * cursor names the last kept row.
 */
function createdKeyPage<TRow extends { created_at: string; id: string }, TOut>(
  rows: TRow[],
  limit: number,
  map: (row: TRow) => TOut,
): { page: TOut[]; nextCursor: string | null } {
  const kept = rows.slice(0, limit);
  const last = kept.at(-1);
  return {
    page: kept.map(map),
    nextCursor: rows.length > limit && last ? encodeCreatedCursor({ createdAt: last.created_at, id: last.id }) : null,
  };
}

/**
 * Reads one page of a listing query newest first by (created_at, id): the rows after `page.after`, one
 * more than `page.limit` to learn whether another page exists. Filters go on `query` before.
 */
export async function readCreatedKeyPage<
  DB,
  TB extends keyof DB,
  TRow extends { created_at: string; id: string },
  TOut,
>(
  query: SelectQueryBuilder<DB, TB, TRow>,
  page: { limit: number; after?: CreatedKey | undefined },
  map: (row: TRow) => TOut,
): Promise<{ page: TOut[]; nextCursor: string | null }> {
  const rows = await (page.after ? query.where(afterCreatedKey(page.after)) : query)
    .orderBy(sql.ref('created_at'), 'desc')
    .orderBy(sql.ref('id'), 'desc')
    .limit(page.limit + 1)
    .execute();
  return createdKeyPage(rows as TRow[], page.limit, map);
}

import type { CollectedItem, HttpValidator, SaveItemsInput, SaveItemsResult } from '../../schemas/stream-run.js';
import {
  MAX_AUTHOR_LENGTH,
  MAX_MEDIA_URLS,
  MAX_SUMMARY_LENGTH,
  MAX_TEXT_LENGTH,
  MAX_TITLE_LENGTH,
  MAX_URL_LENGTH,
  normaliseLanguageTag,
  storableImageUrl,
  storableText,
  stripInvalidCharacters,
} from '../../schemas/text-limits.js';
import { sql, type Selectable } from 'kysely';
import type { Database } from './database.js';
import type { ItemsTable } from './schema.js';
import { idCursorPage } from './id-cursor-page.js';
import { recordSightings } from './item-events.js';

/** SQLite caps bound parameters per statement (999 in old builds); 14 columns × 70 rows stays inside it. */
const INSERT_BATCH_SIZE = 70;

/**
 * Saves a run's items, skipping any whose (source, canonical URL) is already stored. Every text is
 * made storable first (NUL, other control characters and lone surrogates dropped, each field capped:
 * see schemas/text-limits.ts), so one stranger's character never fails the batch. Safe to repeat:
 * a retried save inserts nothing twice, and the counts stay those of the run, not of the attempt,
 * because "new" is counted as the items this run first found.
 */
export async function saveItems(db: Database, input: SaveItemsInput): Promise<SaveItemsResult> {
  const now = new Date().toISOString();
  const storable = input.items.filter(hasStorableUrls);
  await db.transaction().execute(async (tx) => {
    for (let start = 0; start < storable.length; start += INSERT_BATCH_SIZE) {
      const rows = storable.slice(start, start + INSERT_BATCH_SIZE).map((item) => ({
        source_id: input.sourceId,
        canonical_url: item.canonicalUrl,
        url: item.url,
        title: storableText(item.title, MAX_TITLE_LENGTH),
        summary: storableText(item.summary, MAX_SUMMARY_LENGTH),
        text: storableText(item.text ?? null, MAX_TEXT_LENGTH),
        media_urls: storableMediaUrls(item.mediaUrls),
        author: storableText(item.author, MAX_AUTHOR_LENGTH),
        published_at: item.publishedAt,
        // A stranger's page named these: only an http(s) address within its cap and a short tag are kept.
        image_url: storableImageUrl(item.imageUrl),
        language: normaliseLanguageTag(item.language),
        first_seen_at: now,
        stream_id: input.streamId,
        run_id: input.runId,
      }));
      await tx
        .insertInto('items')
        .values(rows)
        .onConflict((conflict) => conflict.columns(['source_id', 'canonical_url']).doNothing())
        .execute();
      await recordSightings(
        tx,
        { ...input, canonicalUrls: rows.map((row) => row.canonical_url), attempt: input.attempt ?? null },
        now,
      );
    }
    for (const validator of input.validators ?? []) {
      const row = { etag: validator.etag, last_modified: validator.lastModified, updated_at: now };
      await tx
        .insertInto('http_validators')
        .values({ source_id: input.sourceId, url: validator.url, ...row })
        .onConflict((conflict) => conflict.columns(['source_id', 'url']).doUpdateSet(row))
        .execute();
    }
  });
  const { count } = await db
    .selectFrom('items')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('run_id', '=', input.runId)
    .executeTakeFirstOrThrow();
  const newCount = Number(count);
  return { new: newCount, duplicate: storable.length - newCount };
}

/**
 * Item builders give only http(s) addresses of at most MAX_URL_LENGTH (canonicalizeUrl), so this is
 * the last guard, not the rule: an address that is not one is not cut (a cut address leads nowhere)
 * but left out, and the row never reaches the database.
 */
function hasStorableUrls(item: CollectedItem): boolean {
  return [item.url, item.canonicalUrl].every(
    (url) => url.length <= MAX_URL_LENGTH && url === stripInvalidCharacters(url),
  );
}

function storableMediaUrls(urls: string[] | undefined): string | null {
  const kept = (urls ?? [])
    .filter((url) => url.length <= MAX_URL_LENGTH && url === stripInvalidCharacters(url))
    .slice(0, MAX_MEDIA_URLS);
  return kept.length > 0 ? JSON.stringify(kept) : null;
}

export interface StoredItem {
  id: number;
  url: string;
  canonicalUrl: string;
  title: string | null;
  summary: string | null;
  text: string | null;
  /** Empty for items without media and for tasks that collect none. */
  mediaUrls: string[];
  author: string | null;
  publishedAt: string | null;
  /** The article's lead picture, when a task read the article's page. */
  imageUrl: string | null;
  /** The article's language (BCP 47 tag), when a task read the article's page. */
  language: string | null;
  firstSeenAt: string;
  sourceId: string;
  streamId: string;
  runId: string;
}

export interface ItemSearch {
  sourceId?: string | undefined;
  streamId?: string | undefined;
  since?: string | undefined;
  until?: string | undefined;
  q?: string | undefined;
  limit: number;
  /** Items with a smaller id than this (the previous page's last), newest first. */
  cursor?: string | undefined;
}

/** Items matching every given filter, newest first, a page at a time by a stable id cursor. */
export async function searchItems(
  db: Database,
  search: ItemSearch,
): Promise<{ items: StoredItem[]; nextCursor: string | null }> {
  let query = db.selectFrom('items').selectAll();
  if (search.sourceId) query = query.where('source_id', '=', search.sourceId);
  if (search.streamId) query = query.where('stream_id', '=', search.streamId);
  if (search.since) query = query.where('first_seen_at', '>=', new Date(search.since).toISOString());
  if (search.until) query = query.where('first_seen_at', '<', new Date(search.until).toISOString());
  if (search.cursor) query = query.where('id', '<', Number(search.cursor));
  if (search.q) {
    const pattern = `%${search.q.toLowerCase().replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
    query = query.where((eb) =>
      eb.or([
        eb(eb.fn('lower', ['title']), 'like', sql<string>`${pattern} escape '\\'`),
        eb(eb.fn('lower', ['summary']), 'like', sql<string>`${pattern} escape '\\'`),
      ]),
    );
  }
  const { page, nextCursor } = idCursorPage(
    await query
      .orderBy('id', 'desc')
      .limit(search.limit + 1)
      .execute(),
    search.limit,
    toStoredItem,
  );
  return { items: page, nextCursor };
}

/** A stream's or a run's items, newest first, a page at a time by the same id cursor as {@link searchItems}. */
export async function listItems(
  db: Database,
  filter: { streamId?: string | undefined; runId?: string | undefined; limit: number; cursor?: string | undefined },
): Promise<{ items: StoredItem[]; nextCursor: string | null }> {
  let query = db.selectFrom('items').selectAll();
  if (filter.streamId) query = query.where('stream_id', '=', filter.streamId);
  if (filter.runId) query = query.where('run_id', '=', filter.runId);
  if (filter.cursor) query = query.where('id', '<', Number(filter.cursor));
  const { page, nextCursor } = idCursorPage(
    await query
      .orderBy('id', 'desc')
      .limit(filter.limit + 1)
      .execute(),
    filter.limit,
    toStoredItem,
  );
  return { items: page, nextCursor };
}

function toStoredItem(row: Selectable<ItemsTable>): StoredItem {
  return {
    id: row.id,
    url: row.url,
    canonicalUrl: row.canonical_url,
    title: row.title,
    summary: row.summary,
    text: row.text,
    mediaUrls: parseMediaUrls(row.media_urls),
    author: row.author,
    publishedAt: row.published_at,
    imageUrl: row.image_url,
    language: row.language,
    firstSeenAt: row.first_seen_at,
    sourceId: row.source_id,
    streamId: row.stream_id,
    runId: row.run_id,
  };
}

function parseMediaUrls(column: string | null): string[] {
  if (!column) return [];
  const value: unknown = JSON.parse(column);
  return Array.isArray(value) ? value.filter((url): url is string => typeof url === 'string') : [];
}

/** The validators saved with the last successful save of this source's document, if any. */
export async function findValidator(db: Database, sourceId: string, url: string): Promise<HttpValidator | undefined> {
  const row = await db
    .selectFrom('http_validators')
    .selectAll()
    .where('source_id', '=', sourceId)
    .where('url', '=', url)
    .executeTakeFirst();
  return row && { url: row.url, etag: row.etag, lastModified: row.last_modified };
}

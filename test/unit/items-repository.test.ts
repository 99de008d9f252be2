import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CollectedItem } from '../../schemas/stream-run.js';
import {
  MAX_AUTHOR_LENGTH,
  MAX_SUMMARY_LENGTH,
  MAX_TEXT_LENGTH,
  MAX_TITLE_LENGTH,
  MAX_URL_LENGTH,
  stripInvalidCharacters,
} from '../../schemas/text-limits.js';
import { openDatabase, type Database } from '../../src/db/database.js';
import { findValidator, listItems, saveItems } from '../../src/db/items-repository.js';
import { insertSource } from '../../src/db/sources-repository.js';
import { insertStream } from '../../src/db/streams-repository.js';

let db: Database;

beforeEach(async () => {
  db = await openDatabase('sqlite::memory:');
});

afterEach(async () => {
  await db.destroy();
});

/** A source with one rss_feed stream, as the API would create them. */
async function sourceWithStream(name: string): Promise<{ sourceId: string; streamId: string }> {
  const source = await insertSource(db, { name });
  const stream = await insertStream(db, {
    name,
    taskType: 'rss_feed',
    config: { url: 'https://news.example.test/feed.xml' },
    sourceId: source.id,
  });
  return { sourceId: source.id, streamId: stream.id };
}

const item = (n: number, overrides: Partial<CollectedItem> = {}): CollectedItem => ({
  url: `https://news.example.test/a/${n}?utm_source=rss`,
  canonicalUrl: `https://news.example.test/a/${n}`,
  title: `Story ${n}`,
  summary: `Summary of story ${n}`,
  author: n % 2 ? 'Ines Moreau' : null,
  publishedAt: `2026-11-23T10:${String(n % 60).padStart(2, '0')}:00.000Z`,
  ...overrides,
});

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, index) => item(from + index));

async function rowCount(): Promise<number> {
  const { count } = await db
    .selectFrom('items')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(count);
}

describe('saveItems', () => {
  it('counts every item of a first save as new and stores it with its fields and its run', async () => {
    const { sourceId, streamId } = await sourceWithStream('Gazette');
    const result = await saveItems(db, { runId: 'run-1', streamId, sourceId, items: range(1, 4) });
    expect(result).toEqual({ new: 3, duplicate: 0 });

    const stored = (await listItems(db, { streamId, limit: 10 })).items;
    expect(stored).toHaveLength(3);
    expect(stored.find((found) => found.canonicalUrl === 'https://news.example.test/a/1')).toMatchObject({
      url: 'https://news.example.test/a/1?utm_source=rss',
      title: 'Story 1',
      summary: 'Summary of story 1',
      author: 'Ines Moreau',
      publishedAt: '2026-11-23T10:01:00.000Z',
      sourceId,
      streamId,
      runId: 'run-1',
      firstSeenAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
  });

  it('counts items already stored by an earlier run as duplicates and keeps them attributed to that run', async () => {
    const { sourceId, streamId } = await sourceWithStream('Gazette');
    await saveItems(db, { runId: 'run-1', streamId, sourceId, items: range(1, 4) });

    const second = await saveItems(db, { runId: 'run-2', streamId, sourceId, items: range(1, 4) });
    expect(second).toEqual({ new: 0, duplicate: 3 });

    const mixed = await saveItems(db, { runId: 'run-3', streamId, sourceId, items: range(2, 6) });
    expect(mixed).toEqual({ new: 2, duplicate: 2 });

    expect(await rowCount()).toBe(5);
    const runs = (await listItems(db, { streamId, limit: 10 })).items.map((found) => [
      found.canonicalUrl.split('/').at(-1),
      found.runId,
    ]);
    expect(runs.sort()).toEqual([
      ['1', 'run-1'],
      ['2', 'run-1'],
      ['3', 'run-1'],
      ['4', 'run-3'],
      ['5', 'run-3'],
    ]);
  });

  it('does not overwrite a stored item when a later run sees it with other fields', async () => {
    const { sourceId, streamId } = await sourceWithStream('Gazette');
    await saveItems(db, { runId: 'run-1', streamId, sourceId, items: [item(1)] });
    await saveItems(db, { runId: 'run-2', streamId, sourceId, items: [item(1, { title: 'Rewritten headline' })] });
    expect((await listItems(db, { streamId, limit: 10 })).items[0]?.title).toBe('Story 1');
  });

  it('gives the same counts and stores nothing twice when the same run repeats its save (a retried activity)', async () => {
    const { sourceId, streamId } = await sourceWithStream('Gazette');
    await saveItems(db, { runId: 'run-0', streamId, sourceId, items: [item(1)] });
    const input = { runId: 'run-1', streamId, sourceId, items: range(1, 5) };

    const firstAttempt = await saveItems(db, input);
    const retry = await saveItems(db, input);
    const thirdAttempt = await saveItems(db, input);

    expect(firstAttempt).toEqual({ new: 3, duplicate: 1 });
    expect(retry).toEqual(firstAttempt);
    expect(thirdAttempt).toEqual(firstAttempt);
    expect(await rowCount()).toBe(4);
  });

  it('counts a repeat inside one save as a duplicate', async () => {
    const { sourceId, streamId } = await sourceWithStream('Gazette');
    const result = await saveItems(db, {
      runId: 'run-1',
      streamId,
      sourceId,
      items: [item(1), item(2), item(1, { url: 'https://news.example.test/a/1#again' })],
    });
    expect(result).toEqual({ new: 2, duplicate: 1 });
    expect(await rowCount()).toBe(2);
  });

  it('saves more items than one insert batch holds, then de-duplicates across batches', async () => {
    const { sourceId, streamId } = await sourceWithStream('Bulk');
    expect(await saveItems(db, { runId: 'run-1', streamId, sourceId, items: range(0, 250) })).toEqual({
      new: 250,
      duplicate: 0,
    });
    expect(await rowCount()).toBe(250);

    expect(await saveItems(db, { runId: 'run-2', streamId, sourceId, items: range(200, 1000) })).toEqual({
      new: 750,
      duplicate: 50,
    });
    expect(await rowCount()).toBe(1000);
  });

  it('saves in one call more items than SQLite could bind in a single statement', async () => {
    const { sourceId, streamId } = await sourceWithStream('Huge');
    // 5000 rows × 10 columns is past SQLite's limit of 32766 bound parameters per statement.
    const items = Array.from({ length: 5000 }, (_, n) => item(n));
    expect(await saveItems(db, { runId: 'run-1', streamId, sourceId, items })).toEqual({ new: 5000, duplicate: 0 });
    expect(await rowCount()).toBe(5000);
  });

  it('stores the same canonical URL once per source, so two sources both keep it', async () => {
    const gazette = await sourceWithStream('Gazette');
    const wire = await sourceWithStream('Wire');
    const shared = [item(1), item(2)];

    expect(await saveItems(db, { runId: 'run-g', ...gazette, items: shared })).toEqual({ new: 2, duplicate: 0 });
    expect(await saveItems(db, { runId: 'run-w', ...wire, items: shared })).toEqual({ new: 2, duplicate: 0 });

    expect(await rowCount()).toBe(4);
    const rows = await db
      .selectFrom('items')
      .select(['source_id', 'canonical_url'])
      .where('canonical_url', '=', 'https://news.example.test/a/1')
      .execute();
    expect(rows.map((row) => row.source_id).sort()).toEqual([gazette.sourceId, wire.sourceId].sort());
  });

  it('de-duplicates across streams of the same source', async () => {
    const { sourceId, streamId } = await sourceWithStream('Gazette');
    const other = await insertStream(db, { name: 'Gazette sitemap', taskType: 'sitemap_news', config: {}, sourceId });
    await saveItems(db, { runId: 'run-feed', streamId, sourceId, items: [item(1), item(2)] });
    expect(
      await saveItems(db, { runId: 'run-sitemap', streamId: other.id, sourceId, items: [item(2), item(3)] }),
    ).toEqual({ new: 1, duplicate: 1 });
  });

  it('accepts an empty list', async () => {
    const { sourceId, streamId } = await sourceWithStream('Gazette');
    expect(await saveItems(db, { runId: 'run-1', streamId, sourceId, items: [] })).toEqual({ new: 0, duplicate: 0 });
    expect(await rowCount()).toBe(0);
  });
});

describe('saveItems with HTTP validators', () => {
  const feedUrl = 'https://news.example.test/feed.xml';

  it('stores the validators of the source with the items, readable by findValidator', async () => {
    const { sourceId, streamId } = await sourceWithStream('Gazette');
    expect(await findValidator(db, sourceId, feedUrl)).toBeUndefined();
    await saveItems(db, {
      runId: 'run-1',
      streamId,
      sourceId,
      items: [item(1)],
      validators: [{ url: feedUrl, etag: '"v1"', lastModified: 'Mon, 23 Nov 2026 18:05:00 GMT' }],
    });
    expect(await findValidator(db, sourceId, feedUrl)).toEqual({
      url: feedUrl,
      etag: '"v1"',
      lastModified: 'Mon, 23 Nov 2026 18:05:00 GMT',
    });
  });

  it('replaces the validators of a URL with those of a later save', async () => {
    const { sourceId, streamId } = await sourceWithStream('Gazette');
    await saveItems(db, {
      runId: 'run-1',
      streamId,
      sourceId,
      items: [item(1)],
      validators: [{ url: feedUrl, etag: '"v1"', lastModified: null }],
    });
    await saveItems(db, {
      runId: 'run-2',
      streamId,
      sourceId,
      items: [item(2)],
      validators: [{ url: feedUrl, etag: null, lastModified: 'Tue, 24 Nov 2026 08:00:00 GMT' }],
    });
    expect(await findValidator(db, sourceId, feedUrl)).toEqual({
      url: feedUrl,
      etag: null,
      lastModified: 'Tue, 24 Nov 2026 08:00:00 GMT',
    });
  });

  it('keeps validators per source: another source reading the same URL has none', async () => {
    const gazette = await sourceWithStream('Gazette');
    const wire = await sourceWithStream('Wire');
    await saveItems(db, {
      runId: 'run-1',
      ...gazette,
      items: [],
      validators: [{ url: feedUrl, etag: '"v1"', lastModified: null }],
    });
    expect(await findValidator(db, wire.sourceId, feedUrl)).toBeUndefined();
  });
});

describe("saveItems stores strangers' texts as texts both databases take", () => {
  it('drops NUL, control characters and lone surrogates, and caps every text field', async () => {
    const { sourceId, streamId } = await sourceWithStream('Hostile');
    const hostile = item(1, {
      title: `Ferry\u0000 strike \uD83D ends ${'t'.repeat(MAX_TITLE_LENGTH)}`,
      summary: `Crews\u0007 return\u000B 😀 ${'s'.repeat(MAX_SUMMARY_LENGTH)}`,
      text: `Body \uDC00 ${'x'.repeat(MAX_TEXT_LENGTH)}`,
      author: `Desk\u0000 ${'a'.repeat(MAX_AUTHOR_LENGTH)}`,
      mediaUrls: ['https://cdn.example.test/1.jpg', `https://cdn.example.test/${'m'.repeat(MAX_URL_LENGTH)}`],
    });

    expect(await saveItems(db, { runId: 'run-hostile', streamId, sourceId, items: [hostile] })).toEqual({
      new: 1,
      duplicate: 0,
    });

    const [stored] = (await listItems(db, { runId: 'run-hostile', limit: 10 })).items;
    expect(stored?.title?.startsWith('Ferry strike  ends ttt')).toBe(true);
    expect(stored?.summary?.startsWith('Crews return 😀 sss')).toBe(true);
    expect(stored?.text?.startsWith('Body  xxx')).toBe(true);
    expect(stored?.author?.startsWith('Desk aaa')).toBe(true);
    expect([stored?.title?.length, stored?.summary?.length, stored?.text?.length, stored?.author?.length]).toEqual([
      MAX_TITLE_LENGTH,
      MAX_SUMMARY_LENGTH,
      MAX_TEXT_LENGTH,
      MAX_AUTHOR_LENGTH,
    ]);
    for (const text of [stored?.title, stored?.summary, stored?.text, stored?.author])
      expect(text).toBe(stripInvalidCharacters(text ?? ''));
    expect(stored?.mediaUrls).toEqual(['https://cdn.example.test/1.jpg']);
  });

  it('leaves out an item whose address is longer than 8 KB instead of storing a cut one', async () => {
    const { sourceId, streamId } = await sourceWithStream('Long links');
    const tooLong = `https://news.example.test/${'p'.repeat(MAX_URL_LENGTH)}`;
    const result = await saveItems(db, {
      runId: 'run-long',
      streamId,
      sourceId,
      items: [item(1), item(2, { url: tooLong, canonicalUrl: tooLong })],
    });
    expect(result).toEqual({ new: 1, duplicate: 0 });
    expect(await rowCount()).toBe(1);
  });
});

// Every list of the API pages the same way: `limit` + `cursor`, answered with `nextCursor` (null on the
// last page). These walk whole lists while rows come and go between pages, which an offset could not
// survive (a deleted row shifts the rest and one is skipped; an inserted one repeats one).
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CollectedItem } from '../../schemas/stream-run.js';
import type { Database } from '../../src/db/database.js';
import { saveItems } from '../../src/db/items-repository.js';
import { insertMedia } from '../../src/db/media-repository.js';
import { ensureSourceNamed, insertSource } from '../../src/db/sources-repository.js';
import { insertStream, setStreamStatus } from '../../src/db/streams-repository.js';
import { startUnitApi, type UnitApi } from '../helpers/unit-api.js';

let api: UnitApi;
let app: FastifyInstance;
let db: Database;

beforeEach(async () => {
  api = await startUnitApi();
  ({ app, db } = api);
});

afterEach(async () => {
  await api.close();
});

interface Page {
  nextCursor: string | null;
  [list: string]: unknown;
}

async function getPage(path: string, cursor: string | null): Promise<Page> {
  const separator = path.includes('?') ? '&' : '?';
  const url = cursor ? `${path}${separator}cursor=${encodeURIComponent(cursor)}` : path;
  const response = await app.inject({ method: 'GET', url });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<Page>();
}

/** Follows nextCursor from the first page to the last, calling `between` after each page but the last. */
async function walk<TRow extends { id: string | number }>(
  path: string,
  list: string,
  between: (pageNumber: number, seen: TRow[]) => Promise<void> = async () => undefined,
): Promise<{ rows: TRow[]; pages: number }> {
  const rows: TRow[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page = await getPage(path, cursor);
    pages += 1;
    expect(pages, 'the walk ends').toBeLessThan(100);
    rows.push(...(page[list] as TRow[]));
    cursor = page.nextCursor;
    if (cursor) await between(pages, rows);
  } while (cursor);
  return { rows, pages };
}

const ids = (rows: Array<{ id: string | number }>) => rows.map((row) => row.id);

async function addStream(name: string, fields: { taskType?: string; createdAt?: string } = {}) {
  const source = await ensureSourceNamed(db, `source of ${name}`);
  const stream = await insertStream(db, {
    name,
    taskType: fields.taskType ?? 'rss_feed',
    config: {},
    sourceId: source.id,
  });
  if (fields.createdAt)
    await db.updateTable('streams').set({ created_at: fields.createdAt }).where('id', '=', stream.id).execute();
  return stream.id;
}

const deleteStreamRow = (id: string) => db.deleteFrom('streams').where('id', '=', id).execute();

/** The order the API promises: newest first, ties on the creation time broken by the id, descending. */
async function expectedStreamOrder(where: (row: { id: string; task_type: string }) => boolean = () => true) {
  const rows = await db.selectFrom('streams').select(['id', 'created_at', 'task_type']).execute();
  return rows
    .filter(where)
    .sort((a, b) => (a.created_at === b.created_at ? (a.id < b.id ? 1 : -1) : a.created_at < b.created_at ? 1 : -1))
    .map((row) => row.id);
}

// Several streams share a creation time: the id alone orders them, and a page may end inside the tie.
const TIED = '2026-06-01T12:00:00.000Z';

describe('GET /streams pages by cursor', () => {
  it('walks every stream once, in order, while streams are inserted and deleted between pages', async () => {
    const original: string[] = [];
    for (let n = 0; n < 9; n += 1)
      original.push(
        await addStream(`s${n}`, { createdAt: n >= 2 && n <= 6 ? TIED : `2026-06-0${n + 1}T00:00:00.000Z` }),
      );
    const order = await expectedStreamOrder();

    let deletedUnseen = '';
    let insertedOld = '';
    const { rows, pages } = await walk<{ id: string }>('/streams?limit=2', 'streams', async (pageNumber, seen) => {
      if (pageNumber === 1) {
        await addStream('newer than the walk'); // sorts before the cursor: not this walk's business
        await deleteStreamRow(seen.at(-1)!.id); // the row the cursor names
        deletedUnseen = order.at(-1)!; // the oldest, not yet seen
        await deleteStreamRow(deletedUnseen);
      }
      if (pageNumber === 2)
        insertedOld = await addStream('older than every page', { createdAt: '2000-01-01T00:00:00.000Z' });
    });

    expect(pages).toBeGreaterThan(3);
    const walked = ids(rows);
    expect(new Set(walked).size, 'no stream twice').toBe(walked.length);
    expect(walked).toEqual([...order.filter((id) => id !== deletedUnseen), insertedOld]);
    expect(walked).toEqual(expect.arrayContaining(original.filter((id) => id !== deletedUnseen)));
  });

  it('combines the cursor with the type, status and health filters', async () => {
    const feeds: string[] = [];
    for (let n = 0; n < 7; n += 1) {
      feeds.push(await addStream(`feed ${n}`, { createdAt: n % 3 === 0 ? TIED : `2026-07-0${n + 1}T00:00:00.000Z` }));
      await addStream(`sitemap ${n}`, { taskType: 'sitemap', createdAt: TIED });
    }
    const byType = await walk<{ id: string; taskType: string }>('/streams?type=rss_feed&limit=2', 'streams');
    expect(byType.pages).toBe(4);
    expect(ids(byType.rows)).toEqual(await expectedStreamOrder((row) => row.task_type === 'rss_feed'));

    const paused = [feeds[1]!, feeds[3]!, feeds[4]!];
    for (const id of paused) await setStreamStatus(db, id, 'paused', null);
    const byStatus = await walk<{ id: string }>('/streams?type=rss_feed&status=paused&limit=1', 'streams');
    expect(ids(byStatus.rows).sort()).toEqual([...paused].sort());

    const degraded = [feeds[0]!, feeds[6]!];
    await db.updateTable('streams').set({ health: 'degraded' }).where('id', 'in', degraded).execute();
    const byHealth = await walk<{ id: string; health: { state: string } }>(
      '/streams?health=degraded&limit=1',
      'streams',
    );
    expect(byHealth.pages).toBe(2);
    expect(ids(byHealth.rows).sort()).toEqual([...degraded].sort());
  });

  it('answers one page with a null nextCursor when everything fits', async () => {
    await addStream('only');
    const page = await getPage('/streams?limit=1', null);
    expect(page).toEqual({ streams: [expect.objectContaining({ name: 'only' })], nextCursor: null });
    expect(await getPage('/streams', null)).toMatchObject({ nextCursor: null });
  });
});

describe('GET /sources and GET /media page by cursor', () => {
  it('walks every source once while sources are inserted and deleted between pages', async () => {
    const original: string[] = [];
    for (let n = 0; n < 6; n += 1) original.push((await insertSource(db, { name: `source ${n}` })).id);
    await db.updateTable('sources').set({ created_at: TIED }).where('id', 'in', original.slice(1, 4)).execute();
    let deleted = '';
    const { rows } = await walk<{ id: string }>('/sources?limit=2', 'sources', async (pageNumber, seen) => {
      if (pageNumber !== 1) return;
      await insertSource(db, { name: 'newer' });
      deleted = original.find((id) => !seen.some((row) => row.id === id))!;
      await db.deleteFrom('sources').where('id', '=', deleted).execute();
    });
    const walked = ids(rows);
    expect(new Set(walked).size).toBe(walked.length);
    expect([...walked].sort()).toEqual(original.filter((id) => id !== deleted).sort());
  });

  it('walks every medium once while a medium is renamed and another added between pages', async () => {
    const original: string[] = [];
    for (let n = 0; n < 5; n += 1)
      original.push((await insertMedia(db, { name: `medium ${n}`, sourceIds: [], styleExamples: [] })).id);
    const { rows, pages } = await walk<{ id: string }>('/media?limit=2', 'media', async (pageNumber) => {
      if (pageNumber !== 1) return;
      // A rename would move a row in a by-name order; the (created_at, id) order does not see it.
      await db.updateTable('media').set({ name: 'aaa first by name' }).where('id', '=', original[0]!).execute();
      await insertMedia(db, { name: 'newer', sourceIds: [], styleExamples: [] });
    });
    expect(pages).toBe(3);
    expect([...ids(rows)].sort()).toEqual([...original].sort());
  });
});

const item = (n: number): CollectedItem => ({
  url: `https://site.test/a/${n}`,
  canonicalUrl: `https://site.test/a/${n}`,
  title: `Story ${n}`,
  summary: null,
  author: null,
  publishedAt: null,
});

describe('GET /streams/:id/items and GET /runs/:id/items page by cursor', () => {
  it.each([
    ['stream', (streamId: string) => `/streams/${streamId}/items?limit=3`],
    ['run', () => '/runs/run-a/items?limit=3'],
  ])("walk a %s's items once while items are saved and deleted between pages", async (_kind, pathOf) => {
    const streamId = await addStream('collector');
    const sourceId = (await ensureSourceNamed(db, 'source of collector')).id;
    await saveItems(db, { runId: 'run-a', streamId, sourceId, items: [1, 2, 3, 4, 5, 6, 7].map(item) });
    const newestFirst = (await db.selectFrom('items').select('id').orderBy('id', 'desc').execute()).map(
      (row) => row.id,
    );
    const oldest = newestFirst.at(-1)!;

    const { rows, pages } = await walk<{ id: number }>(pathOf(streamId), 'items', async (pageNumber) => {
      if (pageNumber !== 1) return;
      await saveItems(db, { runId: 'run-a', streamId, sourceId, items: [item(100)] });
      await db.deleteFrom('items').where('id', '=', oldest).execute();
    });
    expect(pages).toBe(2);
    expect(ids(rows)).toEqual(newestFirst.filter((id) => id !== oldest));
  });
});

describe('a cursor the API did not issue', () => {
  const foreign = Buffer.from(JSON.stringify({ id: 'str_1' })).toString('base64url');
  const tooLong = Buffer.from(JSON.stringify(['2026-01-01T00:00:00.000Z', 'x'.repeat(101)])).toString('base64url');
  it.each([
    ['/streams', 'nonsense!'],
    ['/streams', foreign],
    ['/streams', tooLong],
    ['/streams?type=rss_feed', '12'],
    ['/sources', 'nonsense!'],
    ['/media', foreign],
    ['/streams/str_any/items', 'bm90IGFuIGlk'],
    ['/runs/run-any/items', '-1'],
  ])('%s with cursor %s answers 400 naming query.cursor', async (path, cursor) => {
    const separator = path.includes('?') ? '&' : '?';
    const response = await app.inject({
      method: 'GET',
      url: `${path}${separator}cursor=${encodeURIComponent(cursor)}`,
    });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json()).toMatchObject({
      error: { code: 'VALIDATION_FAILED', issues: [{ path: 'query.cursor', message: expect.any(String) }] },
    });
  });

  it.each(['/streams', '/sources', '/media', '/streams/str_any/items', '/runs/run-any/items'])(
    '%s refuses the removed offset with 400',
    async (path) => {
      const response = await app.inject({ method: 'GET', url: `${path}?offset=50` });
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
      expect(response.body).toContain('offset');
    },
  );
});

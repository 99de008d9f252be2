import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemSearchResponse, sourceResponse } from '../../src/api/openapi/response-schemas.js';
import type { Database } from '../../src/db/database.js';
import { startUnitApi, type UnitApi } from '../helpers/unit-api.js';
import { saveItems } from '../../src/db/items-repository.js';
import { insertStream } from '../../src/db/streams-repository.js';
import type { CollectedItem } from '../../schemas/stream-run.js';

let api: UnitApi;
let app: FastifyInstance;
let db: Database;

beforeAll(async () => {
  api = await startUnitApi();
  ({ app, db } = api);
});

afterAll(async () => {
  await api.close();
});

const item = (n: number, title: string): CollectedItem => ({
  url: `https://site.test/a/${n}`,
  canonicalUrl: `https://site.test/a/${n}`,
  title,
  summary: n % 2 ? 'Odd summary about Ferries' : null,
  author: null,
  publishedAt: null,
});

describe('sources', () => {
  it('are created, read, renamed and deleted, with 409 on a taken name or while in use', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/sources',
      payload: { name: 'Gazette', url: 'https://gazette.test/' },
    });
    expect(created.statusCode).toBe(201);
    const source = sourceResponse.parse(created.json());
    expect((await app.inject({ method: 'POST', url: '/sources', payload: { name: 'Gazette' } })).statusCode).toBe(409);
    expect(
      (await app.inject({ method: 'POST', url: '/sources', payload: { name: 'Bad', url: 'ftp://x' } })).statusCode,
    ).toBe(400);

    const renamed = await app.inject({
      method: 'PATCH',
      url: `/sources/${source.id}`,
      payload: { name: 'Harbour Gazette' },
    });
    expect(renamed.json()).toMatchObject({ name: 'Harbour Gazette', url: 'https://gazette.test/' });
    expect((await app.inject({ method: 'GET', url: `/sources/${source.id}` })).json()).toMatchObject({
      name: 'Harbour Gazette',
    });
    expect((await app.inject({ method: 'GET', url: '/sources' })).json<{ sources: unknown[] }>().sources).toHaveLength(
      1,
    );

    const stream = await app.inject({
      method: 'POST',
      url: '/streams',
      payload: { name: 'g', type: 'rss_feed', config: { url: 'https://gazette.test/rss' }, sourceId: source.id },
    });
    expect(stream.statusCode).toBe(201);
    const inUse = await app.inject({ method: 'DELETE', url: `/sources/${source.id}` });
    expect(inUse.statusCode).toBe(409);
    expect((await app.inject({ method: 'DELETE', url: '/sources/src_nope' })).statusCode).toBe(404);
  });
});

describe('GET /items', () => {
  it('filters by source, stream and text, and pages with a cursor, newest first', async () => {
    const sourceId = sourceResponse.parse(
      (await app.inject({ method: 'POST', url: '/sources', payload: { name: 'items-source' } })).json(),
    ).id;
    const stream = await insertStream(db, { name: 'items-stream', taskType: 'rss_feed', config: {}, sourceId });
    await saveItems(db, {
      runId: 'run-1',
      streamId: stream.id,
      sourceId,
      items: [1, 2, 3, 4, 5].map((n) => item(n, `Story ${n}`)),
    });

    const first = itemSearchResponse.parse(
      (await app.inject({ method: 'GET', url: `/items?sourceId=${sourceId}&limit=2` })).json(),
    );
    expect(first.items.map((found) => found.title)).toEqual(['Story 5', 'Story 4']);
    expect(first.nextCursor).not.toBeNull();
    const second = itemSearchResponse.parse(
      (
        await app.inject({ method: 'GET', url: `/items?sourceId=${sourceId}&limit=2&cursor=${first.nextCursor}` })
      ).json(),
    );
    expect(second.items.map((found) => found.title)).toEqual(['Story 3', 'Story 2']);
    const last = itemSearchResponse.parse(
      (
        await app.inject({ method: 'GET', url: `/items?sourceId=${sourceId}&limit=2&cursor=${second.nextCursor}` })
      ).json(),
    );
    expect(last.items.map((found) => found.title)).toEqual(['Story 1']);
    expect(last.nextCursor).toBeNull();

    const text = itemSearchResponse.parse(
      (await app.inject({ method: 'GET', url: `/items?streamId=${stream.id}&q=ferries` })).json(),
    );
    expect(text.items.map((found) => found.title)).toEqual(['Story 5', 'Story 3', 'Story 1']);
    const literal = itemSearchResponse.parse(
      (await app.inject({ method: 'GET', url: `/items?q=${encodeURIComponent('%')}` })).json(),
    );
    expect(literal.items).toEqual([]);
    const future = itemSearchResponse.parse(
      (await app.inject({ method: 'GET', url: `/items?since=${encodeURIComponent('2999-01-01T00:00:00Z')}` })).json(),
    );
    expect(future.items).toEqual([]);
  });

  it('answers 400 with the field path for a bad filter', async () => {
    const response = await app.inject({ method: 'GET', url: '/items?since=yesterday&cursor=abc' });
    expect(response.statusCode).toBe(400);
    const paths = response
      .json<{ error: { issues: Array<{ path: string }> } }>()
      .error.issues.map((issue) => issue.path);
    expect(paths).toEqual(expect.arrayContaining(['query.since', 'query.cursor']));
  });
});

import { Client, Connection } from '@temporalio/client';
import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newloomApi } from '../../src/api/app.js';
import { createApiServer } from '../../src/api/create-server.js';
import type { ErrorBody } from '../../src/api/errors.js';
import { openDatabase, type Database } from '../../src/db/database.js';
import type { Source } from '../../src/db/sources-repository.js';
import type { Stream } from '../../src/db/streams-repository.js';
import { createLogger } from '../../src/logger.js';

// Every route exercised here answers from the database alone: the Temporal connection is lazy and
// points nowhere, so a route that reached Temporal would fail or hang instead of passing.
const unreachableTemporal = () => ({
  client: new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) }),
  taskQueue: 'unused',
});

let db: Database;
let app: FastifyInstance;

beforeEach(async () => {
  db = await openDatabase('sqlite::memory:');
  app = Fastify();
  await app.register(newloomApi, { db, temporal: unreachableTemporal() });
  await app.ready();
});

afterEach(async () => {
  await app.close();
  await db.destroy();
});

const feedStream = (name: string, config: Record<string, unknown> = { url: 'https://news.example.test/feed.xml' }) => ({
  name,
  type: 'rss_feed',
  config,
});

async function post(url: string, payload: unknown): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'POST', url, payload: payload as Record<string, unknown> });
}

async function createStream(name: string): Promise<Stream> {
  const response = await post('/streams', feedStream(name));
  expect(response.statusCode, response.body).toBe(201);
  return response.json<Stream>();
}

/** Asserts an error answer: its status, its code, and (when given) exactly these issue paths. */
function expectError(
  response: LightMyRequestResponse,
  status: number,
  code: string,
  paths?: string[],
): ErrorBody['error'] {
  expect(response.statusCode, response.body).toBe(status);
  const { error } = response.json<ErrorBody>();
  expect(error.code).toBe(code);
  expect(error.message.length).toBeGreaterThan(0);
  if (paths) expect(error.issues?.map((issue) => issue.path)).toEqual(paths);
  return error;
}

async function streamCount(): Promise<number> {
  return (await app.inject({ method: 'GET', url: '/streams?limit=500' })).json<{ streams: Stream[] }>().streams.length;
}

describe('GET /healthz', () => {
  it('answers ok without touching Temporal', async () => {
    const response = await app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });
});

describe('GET /tasks', () => {
  it('lists rss_feed with a JSON Schema that requires url, and an example', async () => {
    const response = await app.inject({ method: 'GET', url: '/tasks' });
    expect(response.statusCode).toBe(200);
    const { tasks } = response.json<{
      tasks: Array<{ type: string; configSchema: Record<string, unknown>; example: unknown }>;
    }>();
    const rss = tasks.find((task) => task.type === 'rss_feed');
    expect(rss).toBeDefined();
    expect(rss?.configSchema).toMatchObject({
      type: 'object',
      required: ['url'],
      properties: { url: { type: 'string' }, max_items: { type: 'integer', minimum: 1, maximum: 10_000, default: 10 } },
      additionalProperties: false,
    });
    expect(rss?.example).toEqual({ url: expect.stringMatching(/^https:\/\//), max_items: expect.any(Number) });
  });
});

describe('POST /streams', () => {
  it('creates a stream: 201, a Location that finds it, its config normalised with defaults', async () => {
    const response = await post('/streams', feedStream('Harbour Gazette'));
    expect(response.statusCode, response.body).toBe(201);
    const stream = response.json<Stream>();
    expect(stream).toMatchObject({
      id: expect.stringMatching(/^str_/),
      name: 'Harbour Gazette',
      taskType: 'rss_feed',
      config: {
        url: 'https://news.example.test/feed.xml',
        max_items: 10,
        respect_robots_txt: true,
        parse_now: false,
        parse_now_max: 20,
      },
      status: 'active',
      frequency: null,
      overlapPolicy: 'skip',
      lastRun: null,
    });
    expect(response.headers.location).toBe(`/streams/${stream.id}`);

    const found = await app.inject({ method: 'GET', url: response.headers.location! });
    expect(found.statusCode).toBe(200);
    expect(found.json()).toEqual(stream);
  });

  it('creates a source named after the stream when none is given', async () => {
    const stream = await createStream('Harbour Gazette');
    const source = await app.inject({ method: 'GET', url: `/sources/${stream.sourceId}` });
    expect(source.statusCode).toBe(200);
    expect(source.json<Source>()).toMatchObject({ id: stream.sourceId, name: 'Harbour Gazette' });
  });

  it('attaches the stream to a given existing source', async () => {
    const source = (await post('/sources', { name: 'Shared desk' })).json<Source>();
    const response = await post('/streams', { ...feedStream('Desk feed'), sourceId: source.id });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json<Stream>().sourceId).toBe(source.id);
  });

  it('trims the name', async () => {
    expect((await createStream('  Spaced  ')).name).toBe('Spaced');
  });

  it('answers 400, not 500, to a body that is not valid JSON', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/streams',
      headers: { 'content-type': 'application/json' },
      payload: '{"name": "x",',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json<ErrorBody>().error.code).toEqual(expect.any(String));
  });

  it('answers 400, not 500, to an empty JSON body', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/streams',
      headers: { 'content-type': 'application/json' },
      payload: '',
    });
    expect(response.statusCode).toBe(400);
  });

  it.each([
    ['a string', '"a stream"'],
    ['a number', '42'],
    ['an array', '[{"name": "x"}]'],
  ])('answers 400 with path "body" to %s instead of an object', async (_what, payload) => {
    const response = await app.inject({
      method: 'POST',
      url: '/streams',
      headers: { 'content-type': 'application/json' },
      payload,
    });
    expectError(response, 400, 'VALIDATION_FAILED', ['body']);
  });

  it('answers 400 naming body.name when the name is missing or blank', async () => {
    expectError(
      await post('/streams', { type: 'rss_feed', config: { url: 'https://news.example.test/feed.xml' } }),
      400,
      'VALIDATION_FAILED',
      ['body.name'],
    );
    expectError(await post('/streams', feedStream('   ')), 400, 'VALIDATION_FAILED', ['body.name']);
  });

  it('answers 400 naming body.type for an unknown task type, listing the known ones', async () => {
    const error = expectError(
      await post('/streams', { name: 'x', type: 'carrier_pigeon', config: {} }),
      400,
      'VALIDATION_FAILED',
      ['body.type'],
    );
    expect(error.issues?.[0]?.message).toContain('rss_feed');
  });

  it('answers 400 naming body.config.url and body.config.max_items for an invalid config', async () => {
    const response = await post(
      '/streams',
      feedStream('x', { url: 'ftp://news.example.test/feed', max_items: 50_000 }),
    );
    expectError(response, 400, 'VALIDATION_FAILED', ['body.config.url', 'body.config.max_items']);
  });

  it('answers 400 for an unknown key in the config', async () => {
    const error = expectError(
      await post('/streams', feedStream('x', { url: 'https://n.example.test/f', maxItems: 3 })),
      400,
      'VALIDATION_FAILED',
      ['body.config'],
    );
    expect(error.issues?.[0]?.message).toContain('maxItems');
  });

  it('answers 400 for an unknown key in the body', async () => {
    const error = expectError(
      await post('/streams', { ...feedStream('x'), schedule: 'daily' }),
      400,
      'VALIDATION_FAILED',
      ['body'],
    );
    expect(error.issues?.[0]?.message).toContain('schedule');
  });

  it('answers 409 STREAM_NAME_TAKEN for a name already used, keeping the first stream', async () => {
    const first = await createStream('Gazette');
    expectError(
      await post('/streams', feedStream('Gazette', { url: 'https://other.example.test/rss' })),
      409,
      'STREAM_NAME_TAKEN',
    );
    expect(await streamCount()).toBe(1);
    expect((await app.inject({ method: 'GET', url: `/streams/${first.id}` })).json<Stream>().config).toMatchObject({
      url: 'https://news.example.test/feed.xml',
    });
  });

  it('answers 400 naming body.sourceId for a source that does not exist, and creates nothing', async () => {
    expectError(await post('/streams', { ...feedStream('x'), sourceId: 'src_missing' }), 400, 'VALIDATION_FAILED', [
      'body.sourceId',
    ]);
    expect(await streamCount()).toBe(0);
  });

  it('creates nothing when the config is invalid', async () => {
    await post('/streams', feedStream('never', { url: 'nope' }));
    expect(await streamCount()).toBe(0);
    expect((await app.inject({ method: 'GET', url: '/sources' })).json<{ sources: Source[] }>().sources).toEqual([]);
  });
});

describe('GET /streams', () => {
  it('lists every stream on one page when they fit, with no next cursor', async () => {
    await createStream('one');
    await createStream('two');
    await createStream('three');
    const response = await app.inject({ method: 'GET', url: '/streams' });
    expect(response.statusCode).toBe(200);
    const body = response.json<{ streams: Stream[]; nextCursor: string | null }>();
    expect(Object.keys(body).sort()).toEqual(['nextCursor', 'streams']);
    expect(body.nextCursor).toBeNull();
    expect(body.streams.map((stream) => stream.name).sort()).toEqual(['one', 'three', 'two']);
  });

  it('pages with limit and cursor without repeating or losing a stream', async () => {
    for (const name of ['a', 'b', 'c', 'd', 'e']) await createStream(name);
    const page = async (cursor: string | null) =>
      (await app.inject({ method: 'GET', url: `/streams?limit=2${cursor ? `&cursor=${cursor}` : ''}` })).json<{
        streams: Stream[];
        nextCursor: string | null;
      }>();
    const first = await page(null);
    const second = await page(first.nextCursor);
    const third = await page(second.nextCursor);
    const pages = [first, second, third].map((body) => body.streams.map((stream) => stream.name));
    expect(pages.map((names) => names.length)).toEqual([2, 2, 1]);
    expect(pages.flat().sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(third.nextCursor).toBeNull();
  });

  it.each([
    ['limit=0', 'query.limit'],
    ['limit=501', 'query.limit'],
    ['limit=ten', 'query.limit'],
    ['cursor=nonsense', 'query.cursor'],
    ['offset=2', 'query'],
    ['status=deleted', 'query.status'],
  ])('answers 400 to %s, naming %s', async (query, path) => {
    expectError(await app.inject({ method: 'GET', url: `/streams?${query}` }), 400, 'VALIDATION_FAILED', [path]);
  });
});

describe('reading a stream that does not exist', () => {
  it('GET /streams/:id answers 404 NOT_FOUND', async () => {
    const error = expectError(await app.inject({ method: 'GET', url: '/streams/str_missing' }), 404, 'NOT_FOUND');
    expect(error.message).toContain('str_missing');
  });

  it('GET /streams/:id/items answers 404 NOT_FOUND', async () => {
    expectError(await app.inject({ method: 'GET', url: '/streams/str_missing/items' }), 404, 'NOT_FOUND');
  });

  it('GET /streams/:id/items of an existing stream answers an empty page', async () => {
    const stream = await createStream('empty');
    const response = await app.inject({ method: 'GET', url: `/streams/${stream.id}/items` });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ items: [], nextCursor: null });
  });
});

describe('an unknown route', () => {
  it('answers 404 ROUTE_NOT_FOUND naming the method and path', async () => {
    const error = expectError(await app.inject({ method: 'GET', url: '/nowhere' }), 404, 'ROUTE_NOT_FOUND');
    expect(error.message).toContain('GET /nowhere');
  });

  it('answers 405 METHOD_NOT_ALLOWED with Allow for a known path with an unsupported method', async () => {
    const response = await app.inject({ method: 'PUT', url: '/streams' });
    expectError(response, 405, 'METHOD_NOT_ALLOWED');
    expect(response.headers.allow).toBe('GET, HEAD, POST');
  });
});

describe('the API server built by createApiServer', () => {
  it('answers 413 to a body over 1 MiB, and still accepts one just under it', async () => {
    const server = await createApiServer({ db, temporal: unreachableTemporal() }, createLogger('silent'));
    try {
      const huge = await server.inject({
        method: 'POST',
        url: '/streams',
        payload: { ...feedStream('big'), note: 'x'.repeat(1024 * 1024) },
      });
      expect(huge.statusCode).toBe(413);
      expect(huge.json<ErrorBody>().error.code).toEqual(expect.any(String));

      // Read whole and validated (URLs are capped at 8 KB), not cut off at the body limit.
      const nearLimit = await server.inject({
        method: 'POST',
        url: '/sources',
        payload: { name: 'y'.repeat(100), url: `https://n.example.test/${'z'.repeat(1000 * 1000)}` },
      });
      expect(nearLimit.statusCode, nearLimit.body.slice(0, 200)).toBe(400);
      expect(nearLimit.json<ErrorBody>().error.issues).toEqual([
        { path: 'body.url', message: 'must be at most 8192 characters (8 KB)' },
      ]);
    } finally {
      await server.close();
    }
  });
});

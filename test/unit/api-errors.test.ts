import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { createApiServer } from '../../src/api/create-server.js';
import { openDatabase, type Database } from '../../src/db/database.js';
import { createLogger } from '../../src/logger.js';
import { documentedOperations, servedDocument } from '../helpers/openapi.js';

// Every documented operation, fed bad input: none may answer 5xx. Operations on runs need Temporal to
// find the run, so they are exercised in test/integration instead; everything here answers before
// reaching Temporal (the lazy connection below is never opened).
// Built at collection time: the operations to try come from the document the app serves.
const db: Database = await openDatabase('sqlite::memory:');
const app: FastifyInstance = await createApiServer(
  {
    db,
    temporal: { client: new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) }), taskQueue: 'unused' },
  },
  createLogger('silent'),
);
await app.ready();
const operations = documentedOperations(await servedDocument(app));

afterAll(async () => {
  await app.close();
  await db.destroy();
});

const reachesTemporalFirst = (url: string) => url.startsWith('/runs/:id') || url === '/runs' || url === '/readyz';
const withUnknownId = (url: string) => url.replace(':id', 'no_such_id');
const bodyOperations = operations.filter((operation) => operation.body && !reachesTemporalFirst(operation.url));
const idOperations = operations.filter(
  (operation) => operation.url.includes(':id') && !reachesTemporalFirst(operation.url),
);
const queryOperations = operations.filter((operation) => operation.query && !reachesTemporalFirst(operation.url));

describe('bad input never gets a 5xx', () => {
  it.each(bodyOperations.map((operation) => [operation.method.toUpperCase(), operation.url] as const))(
    '%s %s: malformed JSON → 400',
    async (method, url) => {
      const response = await app.inject({
        method,
        url: withUnknownId(url),
        headers: { 'content-type': 'application/json' },
        payload: '{"name": ',
      });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ error: { code: expect.any(String) } });
    },
  );

  it.each(bodyOperations.map((operation) => [operation.method.toUpperCase(), operation.url] as const))(
    '%s %s: a JSON array body → 4xx',
    async (method, url) => {
      const response = await app.inject({ method, url: withUnknownId(url), payload: [1, 2, 3] });
      expect(response.statusCode).toBeGreaterThanOrEqual(400);
      expect(response.statusCode).toBeLessThan(500);
    },
  );

  it.each(bodyOperations.map((operation) => [operation.method.toUpperCase(), operation.url] as const))(
    '%s %s: a body over 1 MiB → 413',
    async (method, url) => {
      const response = await app.inject({
        method,
        url: withUnknownId(url),
        payload: { name: 'x'.repeat(1024 * 1024 + 10) },
      });
      expect(response.statusCode).toBe(413);
    },
  );

  it.each(idOperations.map((operation) => [operation.method.toUpperCase(), operation.url] as const))(
    '%s %s: an unknown id → 404 (or 400 for a bad body first)',
    async (method, url) => {
      const response = await app.inject({ method, url: withUnknownId(url), payload: {} });
      expect([400, 404]).toContain(response.statusCode);
    },
  );

  it.each(queryOperations.map((operation) => [operation.method.toUpperCase(), operation.url] as const))(
    '%s %s: query values of the wrong type → 4xx',
    async (method, url) => {
      const response = await app.inject({
        method,
        url: `${withUnknownId(url)}?limit=lots&offset=-1&pageSize=0&force=maybe&since=yesterday&cursor=`,
        payload: {},
      });
      expect(response.statusCode).toBeGreaterThanOrEqual(400);
      expect(response.statusCode).toBeLessThan(500);
    },
  );

  it('answers 415 for a body that is not JSON', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/streams',
      headers: { 'content-type': 'text/plain' },
      payload: 'name=x',
    });
    expect(response.statusCode).toBe(415);
  });

  it('names every invalid field of a stream at once', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/streams',
      payload: {
        name: '',
        type: 'rss_feed',
        config: { url: 'nope', max_items: 1.5 },
        frequency: 'weekly',
        runPolicy: { maximumAttempts: 99 },
        extra: true,
      },
    });
    expect(response.statusCode).toBe(400);
    const paths = response
      .json<{ error: { issues: Array<{ path: string }> } }>()
      .error.issues.map((issue) => issue.path);
    expect(paths).toEqual(
      expect.arrayContaining(['body.name', 'body.frequency', 'body.runPolicy.maximumAttempts', 'body']),
    );
  });

  it('names config problems with their paths once the envelope is valid', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/streams',
      payload: { name: 'x', type: 'rss_feed', config: { url: 'nope', max_items: 1.5 } },
    });
    const paths = response
      .json<{ error: { issues: Array<{ path: string }> } }>()
      .error.issues.map((issue) => issue.path);
    expect(paths).toEqual(['body.config.url', 'body.config.max_items']);
  });

  it('refuses an unknown task type by name', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/streams',
      payload: { name: 'x', type: 'carrier_pigeon', config: {} },
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('body.type');
    expect(response.body).toContain('rss_feed');
  });
});

describe('requests that are refused change nothing', () => {
  it('a stream refused for a taken name leaves no source behind', async () => {
    const config = { url: 'https://a.test/feed.xml' };
    const shared = (await app.inject({ method: 'POST', url: '/sources', payload: { name: 'Shared' } })).json<{
      id: string;
    }>();
    expect(
      (
        await app.inject({
          method: 'POST',
          url: '/streams',
          payload: { name: 'Dup', type: 'rss_feed', config, sourceId: shared.id },
        })
      ).statusCode,
    ).toBe(201);
    expect(
      (await app.inject({ method: 'POST', url: '/streams', payload: { name: 'Dup', type: 'rss_feed', config } }))
        .statusCode,
    ).toBe(409);
    const names = (await app.inject({ method: 'GET', url: '/sources' }))
      .json<{ sources: Array<{ name: string }> }>()
      .sources.map((source) => source.name);
    expect(names).not.toContain('Dup');
  });

  it('an over-long id gets a 400 in the API error shape', async () => {
    const response = await app.inject({ method: 'GET', url: `/streams/${'x'.repeat(150)}` });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED', issues: [{ path: 'params.id' }] } });
  });
});

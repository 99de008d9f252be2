import { validate } from '@readme/openapi-parser';
import { Client, Connection } from '@temporalio/client';
import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { taskDefinitions } from '../../schemas/tasks/index.js';
import { newloomApi } from '../../src/api/app.js';
import { openDatabase } from '../../src/db/database.js';
import { documentedOperations, servedDocument, type OpenApiDocument } from '../helpers/openapi.js';
import { createApiServer } from '../../src/api/create-server.js';
import { createLogger } from '../../src/logger.js';

let api: { app: FastifyInstance; close(): Promise<void> };
let document: OpenApiDocument;

beforeAll(async () => {
  // The server as main.ts builds it (body and parameter limits, framework errors), on an in-memory
  // database; its Temporal client points at a port nothing listens on, and the routes used here never call it.
  const db = await openDatabase('sqlite::memory:');
  const client = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
  const app = await createApiServer({ db, temporal: { client, taskQueue: 'unused' } }, createLogger('silent'));
  await app.ready();
  api = { app, close: async () => (await app.close(), await db.destroy()) };
  document = await servedDocument(api.app);
});
afterAll(() => api.close());

/** The operation's documented answer for this response: its status, media type and JSON Schema must fit. */
function expectDocumented(method: string, url: string, response: LightMyRequestResponse) {
  const operation = document.paths[url]?.[method];
  expect(operation, `${method} ${url} is documented`).toBeDefined();
  const answer = operation!.responses[String(response.statusCode)];
  expect(answer, `${method} ${url} documents ${response.statusCode}`).toBeDefined();
  if (response.statusCode === 204) return;
  const mediaType = String(response.headers['content-type']).split(';')[0]!;
  const schema = answer!.content?.[mediaType]?.schema;
  expect(schema, `${method} ${url} ${response.statusCode} documents ${mediaType}`).toBeDefined();
  const result = z.fromJSONSchema(schema as never).safeParse(response.json());
  if (!result.success) expect.fail(`${method} ${url} ${response.statusCode}: ${z.prettifyError(result.error)}`);
}

describe('the OpenAPI document', () => {
  it('validates as OpenAPI 3.1', async () => {
    const result = await validate(structuredClone(document) as never);
    if (!result.valid) expect.fail(JSON.stringify(result.errors));
    expect(document.openapi).toBe('3.1.0');
  });

  it('documents every route the API serves, each with a summary and a tag', async () => {
    const app = Fastify();
    const served: string[] = [];
    app.addHook('onRoute', (route) => {
      // The operator console's page, files and session are the console's, not API operations.
      if (route.url.startsWith('/console')) return;
      for (const method of [route.method].flat())
        if (method !== 'HEAD' && !route.url.startsWith('/docs')) served.push(`${method.toLowerCase()} ${route.url}`);
    });
    const db = await openDatabase('sqlite::memory:');
    const client = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
    await app.register(newloomApi, { db, temporal: { client, taskQueue: 'unused' } });
    await app.ready();
    await app.close();
    await db.destroy();

    const operations = documentedOperations(document);
    expect(operations.map(({ method, url }) => `${method} ${url}`).sort()).toEqual(served.sort());
    for (const { operation } of operations) {
      expect(operation).toMatchObject({ summary: expect.any(String), tags: [expect.any(String)] });
      expect(Object.keys(operation.responses).some((status) => status.startsWith('2'))).toBe(true);
    }
  });

  it('declares the bearer API keys, and leaves the probes and the docs open', () => {
    expect(document.components).toMatchObject({ securitySchemes: { apiKey: { type: 'http', scheme: 'bearer' } } });
    expect(document).toMatchObject({ security: [{ apiKey: [] }] });
    expect(document.paths['/healthz']?.get?.security).toEqual([]);
    expect(document.paths['/streams']?.get?.security).toBeUndefined();
    expect(document.paths['/streams']?.get?.responses).toHaveProperty('401');
  });

  it('documents the statuses the hooks answer: 400, 403, 413 naming the limit, 415, 503 with Retry-After', () => {
    const create = document.paths['/streams']?.post;
    expect(Object.keys(create!.responses)).toEqual(
      expect.arrayContaining(['201', '400', '401', '403', '409', '413', '415', '503']),
    );
    expect(JSON.stringify(create!.responses['413'])).toContain('1048576 bytes');
    expect(create!.responses['503']?.headers).toHaveProperty('retry-after');
    expect(Object.keys(document.paths['/streams/{id}']!.get!.responses)).toEqual(
      expect.arrayContaining(['200', '400', '404']),
    );
  });

  it('describes a task body as a union on type, each variant with its task config schema', () => {
    for (const path of ['/streams', '/runs']) {
      const body = document.paths[path]?.post?.requestBody?.content['application/json']?.schema as {
        oneOf: Array<{ properties: { type: { enum: string[] }; config: { properties: object } }; required: string[] }>;
      };
      expect(body.oneOf.map((variant) => variant.properties.type.enum)).toEqual(
        taskDefinitions.map((task) => [task.type]),
      );
      const rss = body.oneOf.find((variant) => variant.properties.type.enum[0] === 'rss_feed')!;
      expect(rss.properties.config.properties).toHaveProperty('max_items');
      expect(rss.required).toEqual(expect.arrayContaining(['type', 'config']));
    }
  });

  it('pages every list one way: limit and cursor in, nextCursor out, never an offset', () => {
    const lists = documentedOperations(document).filter(({ operation }) =>
      (operation.parameters ?? []).some((parameter) => parameter.in === 'query' && parameter.name === 'limit'),
    );
    expect(lists.map(({ url }) => url)).toEqual(
      expect.arrayContaining(['/streams', '/sources', '/media', '/streams/:id/items', '/runs/:id/items', '/items']),
    );
    for (const { url, operation } of lists) {
      const names = (operation.parameters ?? []).filter((parameter) => parameter.in === 'query').map((p) => p.name);
      expect(names, url).toContain('cursor');
      expect(names, url).not.toContain('offset');
      const answer = operation.responses['200']?.content?.['application/json']?.schema as {
        properties?: Record<string, unknown>;
        required?: string[];
      };
      expect(Object.keys(answer.properties ?? {}), url).toContain('nextCursor');
      expect(Object.keys(answer.properties ?? {}), url).not.toContain('offset');
      expect(answer.required, url).toContain('nextCursor');
    }
  });

  it('gives every nullable field a type', () => {
    const frequency = JSON.stringify(document.paths['/streams/{id}']?.get?.responses['200']);
    expect(frequency).not.toContain('"nullable"');
  });

  it('serves Swagger UI at /docs from the package itself, and the JSON at /docs/json', async () => {
    const page = await api.app.inject({ method: 'GET', url: '/docs' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    const assets = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) {
      expect(asset).not.toMatch(/^(https?:)?\/\//);
      const url = asset.startsWith('/') ? asset : `/docs/${asset.replace(/^\.\//, '')}`;
      expect((await api.app.inject({ method: 'GET', url })).statusCode, url).toBe(200);
    }
    const json = await api.app.inject({ method: 'GET', url: '/docs/json' });
    expect(json.headers['content-type']).toContain('application/json');
  });
});

describe('real answers match the document', () => {
  it('a stream through its life, with the errors on the way', async () => {
    const { app } = api;
    const send = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) => {
      const response = await app.inject({
        method,
        url,
        ...(payload === undefined ? {} : { payload: payload as object }),
      });
      const path = url.split('?')[0]!.replace(/^\/(streams|sources)\/[^/]+/, '/$1/{id}');
      expectDocumented(method.toLowerCase(), path, response);
      return response;
    };
    const manual = await send('POST', '/streams', {
      name: 'by hand',
      type: 'rss_feed',
      config: { url: 'https://news.example.test/feed.xml' },
    });
    expect(manual.statusCode).toBe(201);
    const { id } = manual.json<{ id: string }>();
    expect((await send('GET', `/streams/${id}`)).statusCode).toBe(200);
    expect((await send('GET', '/streams?limit=5')).statusCode).toBe(200);
    expect((await send('GET', '/streams?limit=lots')).statusCode).toBe(400);
    expect((await send('PATCH', `/streams/${id}`, { config: { url: 'x' } })).statusCode).toBe(400);
    expect((await send('GET', `/streams/${'x'.repeat(101)}`)).statusCode).toBe(400);
    expect((await send('GET', `/streams/${'x'.repeat(3000)}`)).statusCode).toBe(414);
    expect((await send('GET', '/streams/str_none')).statusCode).toBe(404);
    expect(
      (await send('POST', '/streams', { name: 'by hand', type: 'rss_feed', config: { url: 'https://a.test/' } }))
        .statusCode,
    ).toBe(409);
    expect((await send('GET', `/sources/${manual.json<{ sourceId: string }>().sourceId}`)).statusCode).toBe(200);
    expect((await send('GET', '/tasks')).statusCode).toBe(200);
    expect((await send('GET', '/healthz')).statusCode).toBe(200);
    expect((await send('DELETE', '/streams/str_none')).statusCode).toBe(404);
  });
});

describe('requests the issue found refused', () => {
  it('takes an empty body sent as JSON where no body is needed', async () => {
    const json = { 'content-type': 'application/json' };
    const source = await api.app.inject({ method: 'POST', url: '/sources', payload: { name: 'empty bodies' } });
    const { id } = source.json<{ id: string }>();
    // No field of a source's changes is required: an empty JSON body is an empty change.
    const patched = await api.app.inject({ method: 'PATCH', url: `/sources/${id}`, headers: json });
    expect(patched.statusCode).toBe(200);
    // Bodiless operations get as far as their own checks (these ids are unknown; Temporal is not reached).
    for (const url of ['/streams/str_none/runs', '/streams/str_none/resume', '/streams/str_none/pause']) {
      const response = await api.app.inject({ method: 'POST', url, headers: json });
      expect(response.statusCode, url).toBe(404);
      expect(response.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    }
    // A JSON null is not an absent body: it is not the object the schema asks for.
    const nullBody = await api.app.inject({ method: 'PATCH', url: `/sources/${id}`, headers: json, payload: 'null' });
    expect(nullBody.statusCode).toBe(400);
    expect(nullBody.json()).toMatchObject({ error: { issues: [{ path: 'body' }] } });
    // Where a body is required, its absence is a 400 naming what is missing, not a parser error.
    const create = await api.app.inject({ method: 'POST', url: '/streams', headers: json });
    expect(create.statusCode).toBe(400);
    expect(create.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED', issues: [{ path: 'body.type' }] } });
  });

  it('answers 405 with Allow for a known path and another method, 404 for an unknown path', async () => {
    const put = await api.app.inject({ method: 'PUT', url: '/streams/str_x' });
    expect(put.statusCode).toBe(405);
    expect(put.headers.allow).toBe('DELETE, GET, HEAD, PATCH');
    expect(put.json()).toMatchObject({ error: { code: 'METHOD_NOT_ALLOWED' } });
    // QUERY is a method whose body Fastify insists on reading: it is still a 405.
    const query = await api.app.inject({ method: 'QUERY' as never, url: '/streams' });
    expect(query.statusCode).toBe(405);
    expect(query.headers.allow).toBe('GET, HEAD, POST');
    const unknown = await api.app.inject({ method: 'GET', url: '/nowhere' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ error: { code: 'ROUTE_NOT_FOUND' } });
  });

  it('names the limit in a 413', async () => {
    const response = await api.app.inject({
      method: 'POST',
      url: '/sources',
      payload: { name: 'x'.repeat(2 * 1024 * 1024) },
    });
    expect(response.statusCode).toBe(413);
    expect(response.json<{ error: { message: string } }>().error.message).toContain('1048576 bytes');
  });
});

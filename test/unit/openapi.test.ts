import { validate } from '@readme/openapi-parser';
import { Client, Connection } from '@temporalio/client';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { newloomApi } from '../../src/api/app.js';
import { buildOpenApiDocument, operations } from '../../src/api/openapi/document.js';
import { openDatabase } from '../../src/db/database.js';

describe('the OpenAPI document', () => {
  it('validates as OpenAPI 3', async () => {
    const result = await validate(structuredClone(buildOpenApiDocument()) as never);
    if (!result.valid) expect.fail(JSON.stringify(result.errors));
    expect(result.valid).toBe(true);
  });

  it('documents exactly the routes the API serves, and /docs serves it', async () => {
    const app = Fastify();
    const served: string[] = [];
    app.addHook('onRoute', (route) => {
      // The operator console's page, files and session are the console's, not API operations.
      if (route.url.startsWith('/console')) return;
      for (const method of [route.method].flat())
        if (method !== 'HEAD') served.push(`${method.toLowerCase()} ${route.url}`);
    });
    const db = await openDatabase('sqlite::memory:');
    // The routes under test never reach Temporal: a lazy connection that is never used.
    const client = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
    await app.register(newloomApi, { db, temporal: { client, taskQueue: 'unused' } });
    await app.ready();

    expect(served.sort()).toEqual(operations.map((operation) => `${operation.method} ${operation.url}`).sort());
    const response = await app.inject({ method: 'GET', url: '/docs' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ openapi: '3.0.3', paths: { '/streams/{id}/runs': { post: {}, get: {} } } });

    await app.close();
    await db.destroy();
  });

  it('describes request bodies with the validation schemas, field bounds included', () => {
    const document = buildOpenApiDocument() as {
      paths: Record<
        string,
        Record<
          string,
          {
            requestBody?: {
              content: Record<string, { schema: { properties: Record<string, unknown>; required: string[] } }>;
            };
          }
        >
      >;
    };
    const body = document.paths['/streams']?.post?.requestBody?.content['application/json']?.schema;
    expect(body?.required).toEqual(expect.arrayContaining(['name', 'type', 'config']));
    expect(body?.properties).toHaveProperty('frequency');
    expect(body?.properties).toHaveProperty('runPolicy');
  });
});

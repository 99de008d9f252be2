import type { Client } from '@temporalio/client';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newloomApi } from '../../src/api/app.js';
import { streamResponse } from '../../src/api/openapi/response-schemas.js';
import { openDatabase, type Database } from '../../src/db/database.js';

let api: { app: FastifyInstance; db: Database };

/**
 * A schedule client whose every answer is Temporal's refusal, as a gRPC error reads. The real client
 * on a dead address retries for many seconds; the route's handling of a failure is what is tested here
 * (test/integration/hostile-records.test.ts has the real server refuse a cron).
 */
const refusingTemporal = {
  schedule: {
    getHandle: () => ({
      describe: () => Promise.reject(new Error('3 INVALID_ARGUMENT: Minute is not in range [0-59]')),
      delete: () => Promise.reject(new Error('3 INVALID_ARGUMENT: Minute is not in range [0-59]')),
    }),
  },
} as unknown as Client;

beforeAll(async () => {
  const db = await openDatabase('sqlite::memory:');
  const app = Fastify();
  const client = refusingTemporal;
  await app.register(newloomApi, { db, temporal: { client, taskQueue: 'unused' } });
  await app.ready();
  api = { app, db };
});

afterAll(async () => {
  await api?.app.close();
  await api?.db.destroy();
});

describe('a stream whose schedule cannot follow it says so', () => {
  it('POST with a frequency Temporal refuses: 503, and the saved stream shows scheduleStatus error with the reason', async () => {
    const created = await api.app.inject({
      method: 'POST',
      url: '/streams',
      payload: {
        name: 'unscheduled',
        type: 'rss_feed',
        config: { url: 'https://news.example.test/feed.xml' },
        frequency: '1hour',
      },
    });
    expect(created.statusCode, created.body).toBe(503);
    expect(created.json<{ error: { code: string } }>().error.code).toBe('SCHEDULE_SYNC_FAILED');

    const listed = await api.app.inject({ method: 'GET', url: '/streams' });
    const [stream] = listed.json<{ streams: unknown[] }>().streams.map((value) => streamResponse.parse(value));
    expect(stream).toMatchObject({
      name: 'unscheduled',
      scheduleStatus: 'error',
      scheduleError: 'Minute is not in range [0-59]',
    });

    const shown = streamResponse.parse((await api.app.inject({ method: 'GET', url: `/streams/${stream!.id}` })).json());
    expect(shown).toMatchObject({ scheduleStatus: 'error', scheduleError: stream!.scheduleError });
  });

  it('a stream created without a frequency needs no schedule and is ok', async () => {
    const created = await api.app.inject({
      method: 'POST',
      url: '/streams',
      payload: { name: 'by hand', type: 'rss_feed', config: { url: 'https://news.example.test/feed.xml' } },
    });
    expect(created.statusCode).toBe(201);
    expect(streamResponse.parse(created.json())).toMatchObject({ scheduleStatus: 'ok', scheduleError: null });
  });
});

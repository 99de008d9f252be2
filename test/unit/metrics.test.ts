import { Client, Connection } from '@temporalio/client';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { newloomApi } from '../../src/api/app.js';
import { openDatabase } from '../../src/db/database.js';

describe('GET /metrics', () => {
  it('serves Prometheus text with request durations labelled by route pattern, not raw URL', async () => {
    const db = await openDatabase('sqlite::memory:');
    const app = Fastify();
    await app.register(newloomApi, {
      db,
      temporal: {
        client: new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) }),
        taskQueue: 'unused',
      },
    });
    await app.inject({ method: 'GET', url: '/streams/str_doesnotexist' });
    await app.inject({ method: 'GET', url: '/healthz' });

    const response = await app.inject({ method: 'GET', url: '/metrics' });

    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/plain');
    expect(response.body).toMatch(
      /newloom_http_request_duration_seconds_count\{route="\/streams\/:id",method="GET",status="404"\} 1/,
    );
    expect(response.body).toMatch(
      /newloom_http_request_duration_seconds_count\{route="\/healthz",method="GET",status="200"\} 1/,
    );
    expect(response.body).not.toContain('str_doesnotexist');
    expect(response.body).toContain('newloom_api_process_cpu_seconds_total');
    await app.close();
    await db.destroy();
  });
});

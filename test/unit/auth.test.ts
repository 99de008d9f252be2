import { Client, Connection } from '@temporalio/client';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newloomApi } from '../../src/api/app.js';
import { parseApiKeys } from '../../src/api/auth.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { openDatabase, type Database } from '../../src/db/database.js';

const adminKey = 'admin-key-0123456789abcdefghij';
const readKey = 'read-key-0123456789abcdefghijkl';

let app: FastifyInstance;
let db: Database;

beforeAll(async () => {
  db = await openDatabase('sqlite::memory:');
  app = Fastify();
  // Routes exercised here never reach Temporal.
  const client = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
  await app.register(newloomApi, {
    db,
    temporal: { client, taskQueue: 'unused' },
    apiKeys: parseApiKeys(`admin:${adminKey},read:${readKey}`),
  });
  await app.ready();
});

afterAll(async () => {
  await app.close();
  await db.destroy();
});

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const newStream = { name: 'auth', type: 'rss_feed', config: { url: 'https://example.com/feed.xml' } };

describe('API keys', () => {
  it('answers 401 with a Bearer challenge without a key or with a wrong one', async () => {
    const missing = await app.inject({ method: 'GET', url: '/streams' });
    expect(missing.statusCode).toBe(401);
    expect(missing.headers['www-authenticate']).toBe('Bearer');
    expect(missing.json()).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
    const wrong = await app.inject({
      method: 'GET',
      url: '/streams',
      headers: bearer('not-a-key-not-a-key-not-a-key'),
    });
    expect(wrong.statusCode).toBe(401);
    const notBearer = await app.inject({
      method: 'GET',
      url: '/streams',
      headers: { authorization: `Basic ${adminKey}` },
    });
    expect(notBearer.statusCode).toBe(401);
  });

  it('lets a read key read but not write (403)', async () => {
    expect((await app.inject({ method: 'GET', url: '/streams', headers: bearer(readKey) })).statusCode).toBe(200);
    const write = await app.inject({ method: 'POST', url: '/streams', headers: bearer(readKey), payload: newStream });
    expect(write.statusCode).toBe(403);
    expect(write.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
  });

  it('lets an admin key write', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/streams',
      headers: bearer(adminKey),
      payload: newStream,
    });
    expect(created.statusCode).toBe(201);
  });

  it('keeps health and the API description open', async () => {
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/docs' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/docs/json' })).statusCode).toBe(200);
  });

  it('rejects malformed or short keys at start', () => {
    expect(() => parseApiKeys('root:abcdefghijklmnopqrstuvwxyz')).toThrow(/entry 1/);
    expect(() => parseApiKeys('admin:short')).toThrow(/24 characters/);
    expect(parseApiKeys('')).toEqual([]);
  });

  it('refuses to listen beyond loopback without keys', () => {
    expect(() => loadConfig({ API_HOST: '0.0.0.0' })).toThrow(ConfigError);
    expect(loadConfig({ API_HOST: '0.0.0.0', API_KEYS: `admin:${adminKey}` }).apiKeys).toHaveLength(1);
    expect(loadConfig({}).apiKeys).toEqual([]);
  });

  it('never keeps the raw keys in the parsed config', () => {
    const config = loadConfig({ API_KEYS: `admin:${adminKey}` });
    expect(JSON.stringify(config)).not.toContain(adminKey);
  });
});

describe('readiness', () => {
  it('reports Temporal down (503) while the database answers, without needing a key', async () => {
    const response = await app.inject({ method: 'GET', url: '/readyz' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ status: 'not_ready', checks: { database: 'ok' } });
    expect(response.json<{ checks: { temporal: string } }>().checks.temporal).not.toBe('ok');
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newloomApi } from '../../src/api/app.js';
import { parseApiKeys } from '../../src/api/auth.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase, type Database } from '../../src/db/database.js';

const adminKey = 'admin-key-0123456789abcdefghij';
const consoleDir = new URL('../../src/console/', import.meta.url);

async function api(options: { apiKeys?: string; temporalUiUrl?: string }) {
  const db = await openDatabase('sqlite::memory:');
  const app = Fastify();
  // Nothing here reaches Temporal: a lazy client to a port nobody listens on.
  const client = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }), namespace: 'news' });
  await app.register(newloomApi, {
    db,
    temporal: { client, taskQueue: 'unused' },
    ...(options.apiKeys ? { apiKeys: parseApiKeys(options.apiKeys) } : {}),
    ...(options.temporalUiUrl ? { temporalUiUrl: options.temporalUiUrl } : {}),
  });
  await app.ready();
  return { app, db };
}

let keyed: { app: FastifyInstance; db: Database };
let keyless: { app: FastifyInstance; db: Database };

beforeAll(async () => {
  keyed = await api({ apiKeys: `admin:${adminKey}`, temporalUiUrl: 'https://temporal.example.net' });
  keyless = await api({});
});

afterAll(async () => {
  for (const { app, db } of [keyed, keyless]) {
    await app?.close();
    await db?.destroy();
  }
});

describe('the console page and files', () => {
  it('serves the page and its modules without a key, under a CSP that forbids inline scripts', async () => {
    const page = await keyed.app.inject({ method: 'GET', url: '/console' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');

    const module = await keyed.app.inject({ method: 'GET', url: '/console/assets/app.mjs' });
    expect(module.statusCode).toBe(200);
    expect(module.headers['content-type']).toMatch(/^text\/javascript/);
    expect(module.headers['content-security-policy']).toBe(csp);
    expect((await keyed.app.inject({ method: 'GET', url: '/console/assets/console.css' })).statusCode).toBe(200);
  });

  it('serves only its own files: no other path, no way out of its folder', async () => {
    for (const url of [
      '/console/assets/nothing.mjs',
      '/console/assets/..%2F..%2Fconfig.ts',
      '/console/assets/%2e%2e%2fapi%2fapp.ts',
      '/console/assets/index.html',
    ]) {
      const response = await keyless.app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(404);
    }
  });

  it('has no inline script in its page, and no HTML-string sinks in its modules', () => {
    const page = readFileSync(new URL('index.html', consoleDir), 'utf8');
    expect(page).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(page).not.toMatch(/\son[a-z]+=/i);
    for (const name of readdirSync(consoleDir).filter((file) => file.endsWith('.mjs'))) {
      const source = readFileSync(new URL(name, consoleDir), 'utf8');
      expect(source, name).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function/);
    }
  });
});

describe('the open console paths', () => {
  it('open no API route to a request without a key, however the path is dressed', async () => {
    for (const url of [
      '/console/assets/../../streams',
      '/console/assets/x/../../../streams',
      '/console/assets/%2e%2e/%2e%2e/streams',
      '/console/../streams',
      '/console/assets/..;/streams',
    ]) {
      const response = await keyed.app.inject({ method: 'GET', url });
      expect(response.statusCode, url).not.toBe(200);
      expect(response.body, url).not.toContain('"streams"');
    }
  });
});

describe('the console session', () => {
  it('answers 401 without a key when the API has keys, and says a key is required with one', async () => {
    expect((await keyed.app.inject({ method: 'GET', url: '/console/session' })).statusCode).toBe(401);
    const signedIn = await keyed.app.inject({
      method: 'GET',
      url: '/console/session',
      headers: { authorization: `Bearer ${adminKey}` },
    });
    expect(signedIn.statusCode).toBe(200);
    expect(signedIn.json()).toEqual({
      keyRequired: true,
      temporalUiUrl: 'https://temporal.example.net',
      namespace: 'news',
    });
  });

  it('lets the keyless loopback API in without a key, pointing at the dev server UI by default', async () => {
    const response = await keyless.app.inject({ method: 'GET', url: '/console/session' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ keyRequired: false, temporalUiUrl: 'http://127.0.0.1:8233', namespace: 'news' });
  });

  it('derives the Temporal UI address from TEMPORAL_UI_PORT unless TEMPORAL_UI_URL is set', () => {
    expect(loadConfig({ TEMPORAL_UI_PORT: '9999' }).temporalUiUrl).toBe('http://127.0.0.1:9999');
    expect(loadConfig({ TEMPORAL_UI_URL: 'https://ui.example.net/' }).temporalUiUrl).toBe('https://ui.example.net');
    expect(() => loadConfig({ TEMPORAL_UI_URL: 'javascript:alert(1)' })).toThrow(/TEMPORAL_UI_URL/);
  });
});

describe('GET /streams/:id/schedule', () => {
  it('answers 404 for an unknown stream, without asking Temporal', async () => {
    const response = await keyless.app.inject({ method: 'GET', url: '/streams/str_nope/schedule' });
    expect(response.statusCode).toBe(404);
  });

  it('says a stream without a frequency has no schedule, without asking Temporal', async () => {
    const created = await keyless.app.inject({
      method: 'POST',
      url: '/streams',
      payload: { name: 'by hand', type: 'rss_feed', config: { url: 'https://example.com/feed.xml' } },
    });
    expect(created.statusCode).toBe(201);
    const { id } = created.json<{ id: string }>();
    const response = await keyless.app.inject({ method: 'GET', url: `/streams/${id}/schedule` });
    expect(response.json()).toEqual({
      streamId: id,
      frequency: null,
      scheduled: false,
      paused: false,
      note: null,
      nextFireTimes: [],
    });
  });
});

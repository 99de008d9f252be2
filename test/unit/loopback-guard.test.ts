import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorResponse } from '../../src/api/openapi/response-schemas.js';
import { startUnitApi, type UnitApi } from '../helpers/unit-api.js';

let api: UnitApi;

beforeAll(async () => {
  api = await startUnitApi();
});

afterAll(async () => {
  await api.close();
});

const newSource = { name: 'loopback guard' };

describe('the keyless API (no API_KEYS, loopback only)', () => {
  it.each(['localhost', 'localhost:3000', '127.0.0.1:3000', '127.0.0.1', '[::1]:3000', '[::1]', 'LOCALHOST:3000'])(
    'answers requests addressed to %s',
    async (host) => {
      expect((await api.app.inject({ method: 'GET', url: '/sources', headers: { host } })).statusCode).toBe(200);
    },
  );

  it.each([
    'rebind.attacker.example:3000',
    'rebind.attacker.example',
    '127.0.0.1.nip.io:3000',
    '10.0.0.5:3000',
    'localhost.attacker.example',
  ])('refuses a request addressed to %s (DNS rebinding), saying how to allow it', async (host) => {
    const response = await api.app.inject({ method: 'GET', url: '/sources', headers: { host } });
    expect(response.statusCode).toBe(403);
    const { error } = errorResponse.parse(response.json());
    expect(error.code).toBe('HOST_NOT_ALLOWED');
    expect(error.message).toContain('API_KEYS');
  });

  it("refuses a change from another site's page, and lets it read", async () => {
    const origin = 'https://attacker.example';
    const write = await api.app.inject({ method: 'POST', url: '/sources', headers: { origin }, payload: newSource });
    expect(write.statusCode).toBe(403);
    expect(errorResponse.parse(write.json()).error).toMatchObject({
      code: 'ORIGIN_NOT_ALLOWED',
      message: expect.stringContaining('API_KEYS'),
    });
    for (const hostile of ['null', 'http://localhost.attacker.example', 'not a url']) {
      expect(
        (await api.app.inject({ method: 'DELETE', url: '/sources/src_x', headers: { origin: hostile } })).statusCode,
      ).toBe(403);
    }
    // Nothing was created by the refused request.
    expect((await api.app.inject({ method: 'GET', url: '/sources', headers: { origin } })).json()).toMatchObject({
      sources: [],
    });
  });

  it('accepts a change from a page on this machine, or with no Origin at all (curl)', async () => {
    for (const origin of ['http://localhost:3000', 'http://127.0.0.1:8080', 'http://[::1]:3000']) {
      const response = await api.app.inject({
        method: 'POST',
        url: '/sources',
        headers: { origin },
        payload: { name: `from ${origin}` },
      });
      expect(response.statusCode, response.body).toBe(201);
    }
    expect((await api.app.inject({ method: 'POST', url: '/sources', payload: newSource })).statusCode).toBe(201);
  });
});

// The CLI finds a stream by name by walking GET /streams page by page (500 a page): over a real HTTP
// listener on 127.0.0.1, with more streams than one page holds, the named one on the last page.
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../src/cli/api-client.js';
import { ApiRequestError } from '../../src/cli/errors.js';
import { allStreams, resolveStream } from '../../src/cli/stream-ref.js';
import { ensureSourceNamed } from '../../src/db/sources-repository.js';
import { startUnitApi, type UnitApi } from '../helpers/unit-api.js';

const STREAMS = 1_203;
let api: UnitApi;
let client: ApiClient;

beforeAll(async () => {
  api = await startUnitApi();
  const source = await ensureSourceNamed(api.db, 'many');
  const rows = Array.from({ length: STREAMS }, (_, n) => ({
    id: `str_${n.toString(16).padStart(12, '0')}`,
    name: `stream ${n}`,
    task_type: 'rss_feed',
    config: '{}',
    source_id: source.id,
    run_policy: null,
    frequency: null,
    overlap_policy: 'skip' as const,
    pause_note: null,
    status: 'active' as const,
    schedule_status: 'ok' as const,
    health: 'healthy' as const,
    consecutive_failures: 0,
    // Three creation times only: most of the order comes from the id.
    created_at: `2026-01-0${(n % 3) + 1}T00:00:00.000Z`,
    updated_at: '2026-01-01T00:00:00.000Z',
  }));
  for (let start = 0; start < rows.length; start += 100)
    await api.db
      .insertInto('streams')
      .values(rows.slice(start, start + 100))
      .execute();
  await api.app.listen({ host: '127.0.0.1', port: 0 });
  client = new ApiClient({
    baseUrl: `http://127.0.0.1:${(api.app.server.address() as AddressInfo).port}`,
    apiKey: undefined,
  });
});

afterAll(async () => {
  await api.close();
});

describe('the CLI walking GET /streams', () => {
  it('lists every stream once across pages', async () => {
    const streams = await allStreams(client);
    expect(streams).toHaveLength(STREAMS);
    expect(new Set(streams.map((stream) => stream.id)).size).toBe(STREAMS);
  });

  it('finds a stream by a name that is only on the last page, and says when no stream has it', async () => {
    const last = (await allStreams(client)).at(-1)!;
    expect((await resolveStream(client, last.name)).id).toBe(last.id);
    await expect(resolveStream(client, 'no such stream')).rejects.toBeInstanceOf(ApiRequestError);
  });
});

import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DRY_RUN_PREVIEW_LIMIT, DRY_RUN_PREVIEW_MAX_BYTES, PREVIEW_TEXT_MAX_CHARS } from '../../schemas/stream-run.js';
import { createStream, startRun, waitForRunToClose } from '../helpers/api.js';
import { FixtureServer } from '../helpers/fixture-server.js';
import { readFixtureText } from '../helpers/fixtures.js';
import { createScratchDatabase } from '../helpers/postgres.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';
import { largestHistoryPayload } from '../helpers/history-payloads.js';

// Issue 11: a feed too large for the workflow's history (Temporal fails a payload at 2 MB) must still
// complete, because items never travel through the history: the collection activity saves them itself.
const ITEMS = 10_000;
const SUMMARY_LENGTH = 2000;
/** No activity input or result may come near Temporal's 512 KB warning. */
const PAYLOAD_LIMIT_BYTES = 256 * 1024;

const postgresAdminUrl = inject('postgresAdminUrl');
const backends = [
  { name: 'SQLite', databaseUrl: async () => undefined },
  ...(postgresAdminUrl
    ? [
        {
          name: 'PostgreSQL',
          databaseUrl: () => createScratchDatabase(postgresAdminUrl, `large_feed_${randomUUID().replace(/-/g, '')}`),
        },
      ]
    : []),
];
if (!postgresAdminUrl) console.warn('large feed test: no PostgreSQL server found; running it on SQLite only');

// Latin, Cyrillic (2 bytes a character in UTF-8) and CJK (3 bytes): a limit counted in characters fails first on the last two.
const scripts = ['Harbour news, ferries and weather. ', 'Новости гавани, паромы и погода. ', '港口新闻、渡轮与天气。'];
const summaryOf = (n: number) => {
  const phrase = `${n}: ${scripts[n % scripts.length]}`;
  // Ends with a full stop, not a space the feed parser would trim.
  return `${phrase.repeat(Math.ceil(SUMMARY_LENGTH / phrase.length)).slice(0, SUMMARY_LENGTH - 1)}.`;
};
const titleOf = (n: number) => [`Story ${n}`, `Статья ${n}`, `記事 ${n}`][n % scripts.length] ?? `Story ${n}`;

/** The checked-in frame with its item repeated once per entry, written to a temp file as a site would serve it. */
function writeLargeFeed(dir: string): string {
  const template = readFixtureText('hostile/payload/feed-template.xml');
  const [head, rest = ''] = template.split('<!--item-->');
  const [item = '', tail = ''] = rest.split('<!--/item-->');
  const entries = Array.from({ length: ITEMS }, (_, n) =>
    item.replaceAll('{{n}}', String(n)).replace('{{title}}', titleOf(n)).replace('{{summary}}', summaryOf(n)),
  );
  const path = join(dir, 'large-feed.xml');
  writeFileSync(path, `${head}${entries.join('')}${tail}`);
  return path;
}

let site: FixtureServer;
let feedBody: Buffer;
let dir: string;

beforeAll(async () => {
  site = await FixtureServer.start();
  dir = mkdtempSync(join(tmpdir(), 'newloom-large-feed-'));
  feedBody = readFileSync(writeLargeFeed(dir));
});

afterAll(async () => {
  await site?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.each(backends)('a 10,000-item feed with 2,000-character summaries on $name', ({ name, databaseUrl }) => {
  let stack: TestStack;

  beforeAll(async () => {
    const url = await databaseUrl();
    stack = await startTestStack({
      http: { maxBodyBytes: 128 * 1024 * 1024, timeoutMs: 60_000 },
      ...(url ? { databaseUrl: url } : {}),
    });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('completes, saves every item once, and keeps every payload of its history under 256 KB', async () => {
    const feedUrl = site.route(`/${name}/large.xml`, {
      headers: { 'content-type': 'application/rss+xml' },
      body: feedBody,
    });
    const stream = await createStream(stack.app, {
      name: `large feed ${name}`,
      type: 'rss_feed',
      config: { url: feedUrl, max_items: ITEMS },
    });

    const started = Date.now();
    const runId = await startRun(stack.app, stream.id);
    const run = await waitForRunToClose(stack.app, runId, 240_000);
    const seconds = (Date.now() - started) / 1000;
    const largest = await largestHistoryPayload(stack.client, runId);
    console.info(
      `large feed on ${name}: ${run.status} in ${seconds.toFixed(1)} s, feed ${(feedBody.length / 1e6).toFixed(1)} MB, largest history payload ${largest.bytes} bytes (${largest.where})`,
    );

    expect(run.error).toBeNull();
    expect(run.status).toBe('completed');
    expect(run.result?.counts).toEqual({ found: ITEMS, collected: ITEMS, new: ITEMS, duplicate: 0 });
    expect(largest.bytes).toBeLessThan(PAYLOAD_LIMIT_BYTES);

    const stored = await stack.db
      .selectFrom('items')
      .select((eb) => [eb.fn.countAll<number>().as('rows'), eb.fn.count<number>('canonical_url').distinct().as('urls')])
      .where('run_id', '=', runId)
      .executeTakeFirstOrThrow();
    expect({ rows: Number(stored.rows), urls: Number(stored.urls) }).toEqual({ rows: ITEMS, urls: ITEMS });
    // Non-ASCII text arrives whole: not cut at a byte count, not re-encoded.
    for (const n of [0, 1, 2, ITEMS - 1]) {
      const row = await stack.db
        .selectFrom('items')
        .select(['title', 'summary'])
        .where('canonical_url', '=', `https://large.example.test/2026/11/story-${n}`)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ title: titleOf(n), summary: summaryOf(n) });
    }

    // A second run of the same feed finds only what is stored: nothing is saved twice.
    const again = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id), 240_000);
    expect(again.status).toBe('completed');
    expect(again.result?.counts).toEqual({ found: ITEMS, collected: ITEMS, new: 0, duplicate: ITEMS });
    const total = await stack.db
      .selectFrom('items')
      .select((eb) => eb.fn.countAll<number>().as('rows'))
      .where('source_id', '=', stream.sourceId)
      .executeTakeFirstOrThrow();
    expect(Number(total.rows)).toBe(ITEMS);
  }, 600_000);

  // A dry run saves nothing and hands its items back: the preview is what bounds its result. No database is touched.
  it.skipIf(name !== 'SQLite')(
    'previews a dry run of it within DRY_RUN_PREVIEW_MAX_BYTES, counting every item collected',
    async () => {
      const feedUrl = site.route(`/${name}/large-dry-run.xml`, {
        headers: { 'content-type': 'application/rss+xml' },
        body: feedBody,
      });
      const response = await stack.app.inject({
        method: 'POST',
        url: '/runs',
        payload: { type: 'rss_feed', config: { url: feedUrl, max_items: ITEMS }, dryRun: true },
      });
      expect(response.statusCode, response.body).toBe(202);
      const { runId } = response.json<{ runId: string }>();

      const run = await waitForRunToClose(stack.app, runId, 240_000);
      const largest = await largestHistoryPayload(stack.client, runId);
      console.info(
        `large feed dry run: ${run.status}, largest history payload ${largest.bytes} bytes (${largest.where})`,
      );

      expect(run.status).toBe('completed');
      expect(run.result?.counts).toEqual({ found: ITEMS, collected: ITEMS, new: 0, duplicate: 0 });
      const preview = run.result?.preview ?? [];
      expect(preview.length).toBeGreaterThan(0);
      expect(preview.length).toBeLessThanOrEqual(DRY_RUN_PREVIEW_LIMIT);
      expect(Buffer.byteLength(JSON.stringify(preview))).toBeLessThanOrEqual(DRY_RUN_PREVIEW_MAX_BYTES);
      expect(preview[1]?.summary).toBe(`${summaryOf(1).slice(0, PREVIEW_TEXT_MAX_CHARS - 1)}…`);
      expect(largest.bytes).toBeLessThan(PAYLOAD_LIMIT_BYTES);
      expect(await stack.db.selectFrom('items').select('id').where('run_id', '=', runId).execute()).toEqual([]);
    },
    600_000,
  );
});

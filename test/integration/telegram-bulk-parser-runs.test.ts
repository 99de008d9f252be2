import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../../activities/http/http-client.js';
import { createTelegramBulkParserActivity } from '../../activities/tasks/telegram-bulk-parser.js';
import type { CollectionOutput } from '../../schemas/stream-run.js';
import { createLogger } from '../../src/logger.js';
import { FailureType } from '../../schemas/failure-types.js';
import { createStream, startRun, waitForRunToClose } from '../helpers/api.js';
import { FixtureServer } from '../helpers/fixture-server.js';
import { readFixtureText } from '../helpers/fixtures.js';
import { startTestStack, testHttpSettings, type TestStack } from '../helpers/stack.js';

let stack: TestStack;
let site: FixtureServer;
const sources: Record<string, string> = {};

const html = { 'content-type': 'text/html; charset=utf-8' };
const NEWEST_POST_AT = Date.parse('2026-11-19T12:33:20Z');

/** The fixture pages with every post moved in time so that the newest was published a minute ago. */
function recentPreview(fixture: string, channel = 'harbour_news'): string {
  const shift = Date.now() - 60_000 - NEWEST_POST_AT;
  return readFixtureText(fixture)
    .replace(/datetime="([^"]+)"/g, (_, at: string) => `datetime="${new Date(Date.parse(at) + shift).toISOString()}"`)
    .replaceAll('harbour_news', channel);
}

async function createSource(name: string, url: string) {
  const response = await stack.app.inject({ method: 'POST', url: '/sources', payload: { name, url } });
  expect(response.statusCode, response.body).toBe(201);
  sources[name] = response.json<{ id: string }>().id;
}

const savedBySource = async (runId: string) => {
  const rows = await stack.db
    .selectFrom('items')
    .select(['source_id', 'canonical_url', 'published_at'])
    .where('run_id', '=', runId)
    .execute();
  const bySource: Record<string, number> = {};
  for (const row of rows) bySource[row.source_id] = (bySource[row.source_id] ?? 0) + 1;
  return { rows, bySource };
};

beforeAll(async () => {
  [stack, site] = await Promise.all([startTestStack(), FixtureServer.start()]);
  site.route('/s/harbour_news', { body: recentPreview('telegram/harbour-news.html'), headers: html });
  site.route('/s/harbour_news?before=121', {
    body: recentPreview('telegram/harbour-news-before-121.html'),
    headers: html,
  });
  site.route('/s/quay_watch', { body: recentPreview('telegram/harbour-news.html', 'quay_watch'), headers: html });
  site.route('/s/quay_watch?before=121', {
    body: recentPreview('telegram/harbour-news-before-121.html', 'quay_watch'),
    headers: html,
  });
  site.route('/s/harbour_closed', { status: 302, headers: { location: '/harbour_closed' } });
  site.route('/harbour_closed', { fixture: 'telegram/not-a-preview.html', headers: html });
  await createSource('Harbour News', 'https://t.me/harbour_news');
  await createSource('Quay Watch', 'https://t.me/s/quay_watch');
  await createSource('Closed channel', 'https://t.me/harbour_closed');
  await createSource('Gazette', 'https://gazette.example.test/');
});

afterAll(async () => {
  await stack?.close();
  await site?.close();
});

describe('telegram_bulk_parser through the dev server', () => {
  it("reads every Telegram source's recent posts into that source, and names the channel it could not read", async () => {
    const stream = await createStream(stack.app, {
      name: 'all channels',
      type: 'telegram_bulk_parser',
      config: { time_window_minutes: 1440, base_url: site.origin },
    });

    const run = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id));

    expect(run.status).toBe('completed');
    expect(run.result?.warnings).toEqual([expect.stringMatching(/^@harbour_closed: .*not a public channel preview/)]);
    const { rows, bySource } = await savedBySource(run.id);
    // Within 24 hours of the newest post: all of the first page and the newer part of the older one.
    const perChannel = bySource[sources['Harbour News']!]!;
    expect(perChannel).toBeGreaterThan(18);
    expect(perChannel).toBeLessThan(37);
    expect(bySource).toEqual({ [sources['Harbour News']!]: perChannel, [sources['Quay Watch']!]: perChannel });
    expect(run.result?.counts).toMatchObject({ collected: 2 * perChannel, new: 2 * perChannel, duplicate: 0 });
    const dayAgo = Date.now() - 24 * 3_600_000 - 60_000;
    expect(rows.every((row) => row.published_at !== null && Date.parse(row.published_at) >= dayAgo)).toBe(true);
    expect(rows.some((row) => row.canonical_url.startsWith('https://t.me/quay_watch/'))).toBe(true);
    expect(site.requestsTo('/s/harbour_news').map((request) => request.search)).toEqual(['', '?before=121']);

    const again = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id));
    expect(again.result?.counts).toMatchObject({ new: 0, duplicate: 2 * perChannel });
  });

  it('reads only the listed channels, and stops at the first page older than the window', async () => {
    const before = site.requestsTo('/s/harbour_news').length;
    const quayBefore = site.requestsTo('/s/quay_watch').length;
    const stream = await createStream(stack.app, {
      name: 'last hour',
      type: 'telegram_bulk_parser',
      config: { channels: ['@harbour_news'], time_window_minutes: 60, base_url: site.origin },
    });

    const run = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id));

    expect(run.status).toBe('completed');
    expect(run.result?.warnings).toBeUndefined();
    // The posts of the last hour (the first test may already have saved them: then they are duplicates).
    const collected = run.result?.counts.collected ?? 0;
    expect(collected).toBeGreaterThan(0);
    expect(collected).toBeLessThan(5);
    expect((run.result?.counts.new ?? 0) + (run.result?.counts.duplicate ?? 0)).toBe(collected);
    expect(
      site
        .requestsTo('/s/harbour_news')
        .slice(before)
        .map((request) => request.search),
    ).toEqual(['']);
    expect(site.requestsTo('/s/quay_watch')).toHaveLength(quayBefore);
  });

  it('previews without saving in a dry run', async () => {
    const response = await stack.app.inject({
      method: 'POST',
      url: '/runs',
      payload: {
        type: 'telegram_bulk_parser',
        config: { channels: ['quay_watch'], time_window_minutes: 120, base_url: site.origin },
        dryRun: true,
      },
    });
    const run = await waitForRunToClose(stack.app, response.json<{ runId: string }>().runId);

    expect(run.status).toBe('completed');
    expect(run.result?.preview?.length).toBeGreaterThan(0);
    expect(run.result?.preview?.every((item) => item.url.startsWith('https://t.me/quay_watch/'))).toBe(true);
    expect((await savedBySource(run.id)).rows).toHaveLength(0);
  });

  it('fails, without retrying, when not one channel could be read', async () => {
    const stream = await createStream(stack.app, {
      name: 'only closed',
      type: 'telegram_bulk_parser',
      config: { channels: ['harbour_closed'], base_url: site.origin },
    });
    const requestsBefore = site.requestsTo('/s/harbour_closed').length;

    const run = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id));

    expect(run.status).toBe('failed');
    expect(run.error?.type).toBe(FailureType.MalformedBody);
    expect(site.requestsTo('/s/harbour_closed').length - requestsBefore).toBe(1);
  });

  it('a retried attempt goes on after the channels its last heartbeat says are done', async () => {
    const resumeFrom = {
      doneChannels: ['harbour_news'],
      found: 40,
      collected: 30,
      new: 30,
      duplicate: 0,
      failed: {},
      current: 'quay_watch',
    };
    const environment = new MockActivityEnvironment({ attempt: 2, heartbeatDetails: resumeFrom });
    const savedFor: string[] = [];
    const activity = createTelegramBulkParserActivity({
      http: new HttpClient(testHttpSettings),
      logger: createLogger('silent'),
      listSourcesOnHosts: () =>
        Promise.resolve([
          { id: 'src_harbour', url: 'https://t.me/harbour_news' },
          { id: 'src_quay', url: 'https://t.me/quay_watch' },
        ]),
      saveItems: (input) => {
        savedFor.push(input.sourceId);
        return Promise.resolve({ new: 30 + input.items.length, duplicate: 0 });
      },
    });
    const harbourRequests = site.requestsTo('/s/harbour_news').length;

    const output: CollectionOutput = await environment.run(
      activity,
      { time_window_minutes: 1440, base_url: site.origin },
      { sourceId: 'src_stream', dryRun: false, runId: 'run-1', streamId: 'str-1' },
    );

    expect(savedFor).toEqual(['src_quay']);
    expect(site.requestsTo('/s/harbour_news')).toHaveLength(harbourRequests);
    const quayCollected = (output.saved?.collected ?? 0) - 30;
    expect(quayCollected).toBeGreaterThan(18);
    expect(output.saved).toEqual({ collected: 30 + quayCollected, new: 30 + quayCollected, duplicate: 0 });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemSearchResponse } from '../../src/api/openapi/response-schemas.js';
import type { ItemLineage } from '../../src/db/item-lineage.js';
import { createStream, startRun, waitForRunToClose } from '../helpers/api.js';
import { FakeBotApi } from '../helpers/fake-bot-api.js';
import { FixtureServer } from '../helpers/fixture-server.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';

const TOKEN = '123456789:AAH-lineage-test-token_x1';

let stack: TestStack;
let site: FixtureServer;
let telegram: FakeBotApi;

beforeAll(async () => {
  telegram = await FakeBotApi.start([TOKEN]);
  [stack, site] = await Promise.all([
    startTestStack({
      telegram: { apiBaseUrl: telegram.origin, botTokens: { TELEGRAM_BOT_TOKEN: TOKEN }, timeoutMs: 1500 },
    }),
    FixtureServer.start(),
  ]);
});

afterAll(async () => {
  await stack?.close();
  await site?.close();
  await telegram?.close();
});

async function lineage(itemId: number): Promise<ItemLineage> {
  const response = await stack.app.inject({ method: 'GET', url: `/items/${itemId}/lineage` });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<ItemLineage>();
}

async function completedRun(streamId: string): Promise<string> {
  const runId = await startRun(stack.app, streamId);
  expect((await waitForRunToClose(stack.app, runId)).status).toBe('completed');
  return runId;
}

describe('GET /items/:id/lineage', () => {
  it('tells which run first saw an item, which saw it again, and why each publishing stream did or did not post it', async () => {
    site.route('/lineage.xml', { fixture: 'feeds/rss2-news.xml' });
    const feed = await createStream(stack.app, {
      name: 'lineage feed',
      type: 'rss_feed',
      config: { url: site.url('/lineage.xml') },
    });
    const firstRun = await completedRun(feed.id);
    const secondRun = await completedRun(feed.id);
    const publisher = await createStream(stack.app, {
      name: 'lineage to telegram',
      type: 'telegram_publish',
      config: { channel_id: '@lineage', sources: [feed.sourceId], batch_size: 3, delay_between_messages: 0 },
    });
    const elsewhere = await createStream(stack.app, {
      name: 'another desk',
      type: 'telegram_publish',
      config: { channel_id: '@elsewhere', sources: ['src_someone_else'] },
    });
    const publishRun = await completedRun(publisher.id);

    const listed = await stack.app.inject({ method: 'GET', url: `/items?streamId=${feed.id}` });
    const ids = itemSearchResponse
      .parse(listed.json())
      .items.map((item) => item.id)
      .sort((a, b) => a - b);
    expect(ids).toHaveLength(4);

    const posted = await lineage(ids[0]!);
    expect(posted.firstSeen).toMatchObject({ runId: firstRun, streamId: feed.id, attempt: 1 });
    expect(posted.source.id).toBe(feed.sourceId);
    expect(posted.stream).toMatchObject({ id: feed.id, name: 'lineage feed', taskType: 'rss_feed' });
    expect(posted.duplicates).toMatchObject({ count: 1, firstRunId: secondRun, lastRunId: secondRun });
    expect(posted.parseNow.outcome).toBe('not_requested');
    expect(posted.publications).toEqual([
      expect.objectContaining({ channel: 'telegram:@lineage', status: 'sent', runId: publishRun }),
    ]);
    const verdicts = Object.fromEntries(posted.publishing.map((verdict) => [verdict.streamId, verdict.reason]));
    expect(verdicts).toEqual({ [publisher.id]: 'posted', [elsewhere.id]: 'not_in_sources' });
    expect(posted.events.map((event) => event.kind)).toEqual(['first_seen', 'publish_claimed', 'publish_settled']);
    expect(posted.events[2]?.detail).toMatchObject({ channel: 'telegram:@lineage', status: 'sent' });

    // The fourth item did not fit the batch of three: it waits for the next run within the window.
    const waiting = await lineage(ids[3]!);
    const reason = waiting.publishing.find((verdict) => verdict.streamId === publisher.id);
    expect(reason).toMatchObject({ reason: 'beyond_batch', publicationId: null });
    expect(reason?.explanation).toContain(publishRun);

    const missing = await stack.app.inject({ method: 'GET', url: '/items/99999999/lineage' });
    expect(missing.statusCode).toBe(404);
    const bad = await stack.app.inject({ method: 'GET', url: '/items/abc/lineage' });
    expect(bad.statusCode).toBe(400);
  });
});

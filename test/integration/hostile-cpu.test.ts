import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ARTICLE_DEPTH } from '../../activities/articles/extract-article.js';
import { FailureType } from '../../schemas/failure-types.js';
import { deeplyNestedHtml, scriptTitlesFeed } from '../fixtures/hostile/cpu/generate.js';
import { createStream, startRun, waitForRunToClose } from '../helpers/api.js';
import { FixtureServer } from '../helpers/fixture-server.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';

let stack: TestStack;
let site: FixtureServer;

beforeAll(async () => {
  [stack, site] = await Promise.all([startTestStack(), FixtureServer.start()]);
  // Generated at test time: hundreds of KB of the same few bytes (see test/fixtures/hostile/cpu/generate.ts).
  site.route('/hostile/script-titles.xml', {
    body: scriptTitlesFeed(),
    headers: { 'content-type': 'application/rss+xml' },
  });
  site.route('/hostile/deep', { body: deeplyNestedHtml(5000), headers: { 'content-type': 'text/html' } });
  site.route('/hostile/heavy', {
    body: deeplyNestedHtml(MAX_ARTICLE_DEPTH - 10),
    headers: { 'content-type': 'text/html' },
  });
  site.route('/feed.xml', { fixture: 'feeds/rss2-news.xml' });
});

afterAll(async () => {
  await stack?.close();
  await site?.close();
});

// Generous bounds that prove "does not freeze": before, the feed took minutes and the page over five.
const CLOSES_WITHIN_MS = 20_000;

async function timedRun(streamId: string) {
  const started = performance.now();
  const run = await waitForRunToClose(stack.app, await startRun(stack.app, streamId), CLOSES_WITHIN_MS);
  return { run, seconds: (performance.now() - started) / 1000 };
}

describe('hostile pages close their runs within seconds', () => {
  it('reads a feed whose titles repeat <script  (56 s of CPU before)', { timeout: 60_000 }, async () => {
    const stream = await createStream(stack.app, {
      name: 'script titles',
      type: 'rss_feed',
      config: { url: site.url('/hostile/script-titles.xml') },
    });

    const { run, seconds } = await timedRun(stream.id);

    expect(run.status).toBe('completed');
    expect(run.result?.counts).toMatchObject({ found: 1, new: 1 });
    const [item] = await stack.db.selectFrom('items').select(['title']).where('run_id', '=', run.id).execute();
    expect(item?.title).toMatch(/^<script <script .*…$/);
    expect(item!.title!.length).toBeLessThanOrEqual(1000);
    expect(seconds).toBeLessThan(CLOSES_WITHIN_MS / 1000);
  });

  it(
    'fails a web_article on a 5,000-deep page at once, without retrying, saying why',
    { timeout: 60_000 },
    async () => {
      const stream = await createStream(stack.app, {
        name: 'deep page',
        type: 'web_article',
        config: { base_url: site.url('/hostile/deep') },
      });

      const { run } = await timedRun(stream.id);

      expect(run.status).toBe('failed');
      expect(run.error?.type).toBe(FailureType.MalformedBody);
      expect(run.error?.message).toContain(`page too complex to read: depth > ${MAX_ARTICLE_DEPTH}`);
      expect(site.requestsTo('/hostile/deep')).toHaveLength(1);
    },
  );

  it('keeps the worker running other streams while Readability reads a heavy page', { timeout: 90_000 }, async () => {
    const heavy = await createStream(stack.app, {
      name: 'heavy page',
      type: 'web_article',
      config: { base_url: site.url('/hostile/heavy') },
    });
    const feed = await createStream(stack.app, {
      name: 'news feed',
      type: 'rss_feed',
      config: { url: site.url('/feed.xml') },
    });

    const heavyRun = timedRun(heavy.id);
    const feedRun = timedRun(feed.id);
    const [article, news] = await Promise.all([heavyRun, feedRun]);

    expect(article.run.status).toBe('completed');
    expect(news.run.status).toBe('completed');
    expect(news.run.result?.counts?.new).toBeGreaterThan(0);
  });
});

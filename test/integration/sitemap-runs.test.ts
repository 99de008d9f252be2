import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FailureType } from '../../schemas/failure-types.js';
import { createStream, startRun, waitForRunToClose } from '../helpers/api.js';
import { FixtureServer } from '../helpers/fixture-server.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';

let stack: TestStack;
let site: FixtureServer;

beforeAll(async () => {
  [stack, site] = await Promise.all([startTestStack(), FixtureServer.start()]);
  site.route('/sitemaps/index.xml', { fixture: 'sitemaps/sitemap-index.xml', withOrigin: true });
  site.route('/sitemaps/posts-2026-10.xml', { fixture: 'sitemaps/posts-2026-10.xml' });
  site.route('/sitemaps/posts-2026-11.xml.gz', {
    headers: { 'content-type': 'application/gzip' },
    fixture: 'sitemaps/posts-2026-11.xml.gz',
  });
  site.route('/sitemaps/missing.xml', { status: 404 });
});

afterAll(async () => {
  await stack?.close();
  await site?.close();
});

const savedTitlesAndUrls = (runId: string) =>
  stack.db
    .selectFrom('items')
    .select(['canonical_url', 'title', 'published_at'])
    .where('run_id', '=', runId)
    .orderBy('id')
    .execute();

describe('sitemap streams through the dev server', () => {
  it('sitemap_news saves news links with their titles and publication dates', async () => {
    const url = site.route('/news-sitemap.xml', { fixture: 'sitemaps/news-sitemap.xml' });
    const stream = await createStream(stack.app, {
      name: 'news sitemap',
      type: 'sitemap_news',
      config: { sitemap_url: url },
    });

    const run = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id));

    expect(run.status).toBe('completed');
    expect(run.result?.counts).toMatchObject({ found: 4, collected: 3, new: 3 });
    expect(await savedTitlesAndUrls(run.id)).toEqual([
      {
        canonical_url: 'https://news.example.test/2026/11/24/port-strike-ends',
        title: 'Port strike ends after three days',
        published_at: '2026-11-24T07:55:00.000Z',
      },
      {
        canonical_url: 'https://news.example.test/2026/11/23/tide-tables',
        title: 'New tide tables & what they mean',
        published_at: '2026-11-23T00:00:00.000Z',
      },
      {
        canonical_url: 'https://news.example.test/2026/11/22/market-report',
        title: null,
        published_at: '2026-11-22T18:00:00.000Z',
      },
    ]);
  });

  it('sitemap_blog reads only the newest child of an index (gzip) without follow_next', async () => {
    const stream = await createStream(stack.app, {
      name: 'blog newest',
      type: 'sitemap_blog',
      config: { sitemap_url: site.url('/sitemaps/index.xml') },
    });

    const run = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id));

    expect(run.status).toBe('completed');
    expect((await savedTitlesAndUrls(run.id)).map((item) => item.canonical_url)).toEqual([
      'https://blog.example.test/posts/november-one',
      'https://blog.example.test/posts/november-two',
      'https://blog.example.test/posts/november-three',
    ]);
  });

  it('follows every child with follow_next, skips a missing one, and stops at max_links', async () => {
    const stream = await createStream(stack.app, {
      name: 'blog all',
      type: 'sitemap_blog',
      config: { sitemap_url: site.url('/sitemaps/index.xml'), follow_next: true, max_links: 4 },
    });

    const run = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id));

    expect(run.status).toBe('completed');
    const urls = (await savedTitlesAndUrls(run.id)).map((item) => item.canonical_url);
    expect(urls).toEqual([
      'https://blog.example.test/posts/november-one',
      'https://blog.example.test/posts/november-two',
      'https://blog.example.test/posts/november-three',
      'https://blog.example.test/posts/october-one',
    ]);
  });

  it('does not follow an index deeper than max_depth', async () => {
    const stream = await createStream(stack.app, {
      name: 'blog shallow',
      type: 'sitemap_blog',
      config: { sitemap_url: site.url('/sitemaps/index.xml'), max_depth: 1, follow_next: true },
    });
    const run = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id));
    expect(run.result?.counts.new).toBeGreaterThan(0);

    const nested = site.route('/nested-index.xml', {
      body: `<sitemapindex><sitemap><loc>${site.url('/sitemaps/index.xml')}</loc></sitemap></sitemapindex>`,
    });
    const deep = await createStream(stack.app, {
      name: 'too deep',
      type: 'sitemap_blog',
      config: { sitemap_url: nested, max_depth: 1 },
    });
    const deepRun = await waitForRunToClose(stack.app, await startRun(stack.app, deep.id));
    expect(deepRun.status).toBe('completed');
    expect(deepRun.result?.counts.collected).toBe(0);
  });

  it('fails without retrying when the root is not a sitemap', async () => {
    const url = site.route('/not-a-sitemap.xml', { fixture: 'feeds/rss2-news.xml' });
    const stream = await createStream(stack.app, {
      name: 'wrong document',
      type: 'sitemap_news',
      config: { sitemap_url: url },
    });

    const run = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id));

    expect(run.status).toBe('failed');
    expect(run.error?.type).toBe(FailureType.MalformedBody);
    expect(site.requestsTo('/not-a-sitemap.xml')).toHaveLength(1);
  });
});

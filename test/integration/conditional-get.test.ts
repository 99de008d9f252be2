import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStream, startRun, waitForRunToClose } from '../helpers/api.js';
import { FixtureServer } from '../helpers/fixture-server.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';

let stack: TestStack;
let site: FixtureServer;

beforeAll(async () => {
  [stack, site] = await Promise.all([startTestStack(), FixtureServer.start()]);
});

afterAll(async () => {
  await stack?.close();
  await site?.close();
});

describe('conditional GET', () => {
  it('asks "changed since?" with the saved ETag; a 304 ends the run as a cheap success with nothing new', async () => {
    const feedUrl = site.route('/etag.xml', { etag: '"v1"', fixture: 'feeds/rss2-news.xml' });
    const stream = await createStream(stack.app, { name: 'etag feed', type: 'rss_feed', config: { url: feedUrl } });

    const first = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id));
    const second = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id));

    expect(first.result).toMatchObject({ counts: { new: 4 } });
    expect(first.result?.notModified).toBeUndefined();
    expect(second.status).toBe('completed');
    expect(second.result).toMatchObject({ notModified: true, counts: { found: 0, new: 0 } });
    const requests = site.requestsTo('/etag.xml');
    expect(requests[0]?.headers['if-none-match']).toBeUndefined();
    expect(requests[1]?.headers['if-none-match']).toBe('"v1"');
  });

  it('keeps validators per source: another source reading the same URL gets the full feed', async () => {
    const feedUrl = site.route('/shared.xml', { etag: '"s1"', fixture: 'feeds/atom-blog.xml' });
    const one = await createStream(stack.app, { name: 'shared one', type: 'rss_feed', config: { url: feedUrl } });
    const two = await createStream(stack.app, { name: 'shared two', type: 'rss_feed', config: { url: feedUrl } });

    await waitForRunToClose(stack.app, await startRun(stack.app, one.id));
    const other = await waitForRunToClose(stack.app, await startRun(stack.app, two.id));

    expect(other.result).toMatchObject({ counts: { new: 2 } });
    expect(site.requestsTo('/shared.xml')[1]?.headers['if-none-match']).toBeUndefined();
  });

  it('never uses or stores validators in a dry run', async () => {
    const feedUrl = site.route('/dry.xml', { etag: '"d1"', fixture: 'feeds/json-feed.json' });
    const source = (await stack.app.inject({ method: 'POST', url: '/sources', payload: { name: 'dry source' } })).json<{
      id: string;
    }>();
    const stream = await createStream(stack.app, {
      name: 'dry then real',
      type: 'rss_feed',
      config: { url: feedUrl },
      sourceId: source.id,
    });

    const preview = (
      await stack.app.inject({
        method: 'POST',
        url: '/runs',
        payload: { type: 'rss_feed', config: { url: feedUrl }, dryRun: true },
      })
    ).json<{ runId: string }>();
    await waitForRunToClose(stack.app, preview.runId);
    const real = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id));

    expect(real.result).toMatchObject({ counts: { new: 2 } });
    expect(site.requestsTo('/dry.xml').map((request) => request.headers['if-none-match'])).toEqual([
      undefined,
      undefined,
    ]);
  });

  it('applies to a plain sitemap, but an index is always read, since its children change behind it', async () => {
    const sitemapUrl = site.route('/news-sitemap.xml', { etag: '"n1"', fixture: 'sitemaps/news-sitemap.xml' });
    const plain = await createStream(stack.app, {
      name: 'etag sitemap',
      type: 'sitemap_news',
      config: { sitemap_url: sitemapUrl },
    });
    await waitForRunToClose(stack.app, await startRun(stack.app, plain.id));
    const unchanged = await waitForRunToClose(stack.app, await startRun(stack.app, plain.id));
    expect(unchanged.result).toMatchObject({ notModified: true, counts: { new: 0 } });
    expect(site.requestsTo('/news-sitemap.xml')[1]?.headers['if-none-match']).toBe('"n1"');

    const indexUrl = site.route('/sitemaps/index.xml', {
      etag: '"i1"',
      fixture: 'sitemaps/sitemap-index.xml',
      withOrigin: true,
    });
    site.route('/sitemaps/posts-2026-11.xml.gz', {
      headers: { 'content-type': 'application/gzip' },
      fixture: 'sitemaps/posts-2026-11.xml.gz',
    });
    const indexed = await createStream(stack.app, {
      name: 'etag index',
      type: 'sitemap_blog',
      config: { sitemap_url: indexUrl },
    });
    await waitForRunToClose(stack.app, await startRun(stack.app, indexed.id));
    const again = await waitForRunToClose(stack.app, await startRun(stack.app, indexed.id));
    expect(again.result?.notModified).toBeUndefined();
    expect(again.result).toMatchObject({ counts: { found: 3, duplicate: 3 } });
    expect(site.requestsTo('/sitemaps/index.xml').map((request) => request.headers['if-none-match'])).toEqual([
      undefined,
      undefined,
    ]);
  });
});

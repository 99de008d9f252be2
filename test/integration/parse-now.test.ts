import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStream, startRun, waitForRunToClose } from '../helpers/api.js';
import { FixtureServer } from '../helpers/fixture-server.js';
import { readFixtureText } from '../helpers/fixtures.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';

let stack: TestStack;
let site: FixtureServer;

beforeAll(async () => {
  [stack, site] = await Promise.all([startTestStack(), FixtureServer.start()]);
  site.route('/local.xml', { fixture: 'feeds/rss2-local-articles.xml', withOrigin: true });
  site.route('/articles/harbour', { fixture: 'pages/articles/harbour-story-page-1.html' });
  // A page that names no language, from a server that names it in its Content-Language header.
  site.route('/articles/ferry', {
    body: readFixtureText('pages/articles/ferry-timetable-readability.html').replace(' lang="en"', ''),
    headers: { 'content-type': 'text/html; charset=utf-8', 'content-language': 'nb-no' },
  });
  site.route('/articles/gone', { status: 404 });
});

afterAll(async () => {
  await stack?.close();
  await site?.close();
});

const savedItems = (runId: string) =>
  stack.db
    .selectFrom('items')
    .select(['url', 'title', 'author', 'published_at', 'text', 'language'])
    .where('run_id', '=', runId)
    .orderBy('id')
    .execute();

describe('parse_now', () => {
  it("stores the text of each new link's article in the same run; a link that cannot be read keeps what the feed gave", async () => {
    const stream = await createStream(stack.app, {
      name: 'local with text',
      type: 'rss_feed',
      config: { url: site.url('/local.xml'), parse_now: true },
    });

    const run = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id));

    expect(run.status).toBe('completed');
    expect(run.result?.counts).toMatchObject({ new: 3, enriched: 2 });
    const [harbour, ferry, gone] = await savedItems(run.id);
    // The feed's title and date stay; the page adds the text, and the author the feed did not give.
    expect(harbour).toMatchObject({
      title: 'Dredging starts in January, port says',
      published_at: '2026-11-24T05:30:00.000Z',
    });
    expect(harbour?.text).toContain('dredging of the inner harbour will begin');
    expect(ferry).toMatchObject({
      title: 'Evening ferries cut for the winter',
      author: 'Jonas Berg',
      published_at: '2026-11-23T15:05:00.000Z',
    });
    expect(ferry?.text).toContain('a replacement water taxi could run on request');
    // The page's own <html lang> for one, the server's header for the page that says nothing.
    expect(harbour?.language).toBe('en');
    expect(ferry?.language).toBe('nb-NO');
    expect(gone).toMatchObject({ title: 'Council meeting moved', text: null });
    expect(site.requestsTo('/articles/gone')).toHaveLength(1);
  });

  it('reads only new links, at most parse_now_max, and nothing when parse_now is off', async () => {
    const articleRequests = () =>
      site.requestsTo('/articles/harbour').length + site.requestsTo('/articles/ferry').length;
    const before = articleRequests();

    const limited = await createStream(stack.app, {
      name: 'limited',
      type: 'rss_feed',
      config: { url: site.url('/local.xml'), parse_now: true, parse_now_max: 1 },
    });
    const first = await waitForRunToClose(stack.app, await startRun(stack.app, limited.id));
    expect(first.result?.counts).toMatchObject({ new: 3, enriched: 1 });
    expect(articleRequests()).toBe(before + 1);

    const again = await waitForRunToClose(stack.app, await startRun(stack.app, limited.id));
    expect(again.result?.counts).toMatchObject({ new: 0, duplicate: 3 });
    expect(again.result?.counts.enriched).toBeUndefined();

    const plain = await createStream(stack.app, {
      name: 'no text',
      type: 'rss_feed',
      config: { url: site.url('/local.xml') },
    });
    const plainRun = await waitForRunToClose(stack.app, await startRun(stack.app, plain.id));
    expect(plainRun.result?.counts.new).toBe(3);
    expect(articleRequests()).toBe(before + 1);
  });
});

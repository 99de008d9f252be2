import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FailureType } from '../../schemas/failure-types.js';
import { createStream, startRun, waitForRunToClose } from '../helpers/api.js';
import { FixtureServer } from '../helpers/fixture-server.js';
import { readFixtureText } from '../helpers/fixtures.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';

let stack: TestStack;
let site: FixtureServer;

beforeAll(async () => {
  [stack, site] = await Promise.all([startTestStack(), FixtureServer.start()]);
  site.route('/2026/11/24/harbour-dredging', { fixture: 'pages/articles/harbour-story-page-1.html' });
  site.route('/2026/11/24/harbour-dredging/page/2', { fixture: 'pages/articles/harbour-story-page-2.html' });
  site.route('/news/ferry', { fixture: 'pages/articles/ferry-timetable-readability.html' });
  site.route('/app', { fixture: 'pages/articles/empty-shell.html' });
  // The same story from a server that names the language in its header only.
  site.route('/nyheter/ferje', {
    body: readFixtureText('pages/articles/ferry-timetable-readability.html').replace(' lang="en"', ''),
    headers: { 'content-type': 'text/html; charset=utf-8', 'content-language': 'nb-no' },
  });
});

afterAll(async () => {
  await stack?.close();
  await site?.close();
});

const savedItems = (runId: string) =>
  stack.db
    .selectFrom('items')
    .select(['canonical_url', 'title', 'author', 'published_at', 'text', 'language'])
    .where('run_id', '=', runId)
    .execute();

describe('web_article through the dev server', () => {
  it('joins a paginated article read by selectors into one item under its canonical URL, once', async () => {
    const stream = await createStream(stack.app, {
      name: 'harbour story',
      type: 'web_article',
      config: {
        base_url: site.url('/2026/11/24/harbour-dredging'),
        selectors: {
          title: 'h1.headline',
          content: '.story-body p',
          author: '.byline .author',
          published: 'time.published',
        },
        pagination: { next_selector: 'a.next-page', max_pages: 5 },
      },
    });

    const run = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id));

    expect(run.status).toBe('completed');
    expect(run.result?.counts).toMatchObject({ found: 1, new: 1 });
    const [item] = await savedItems(run.id);
    expect(item).toMatchObject({
      canonical_url: site.url('/2026/11/24/harbour-dredging'),
      title: 'Harbour dredging to start in January',
      author: 'Mara Lindqvist',
      published_at: '2026-11-24T05:30:00.000Z',
    });
    expect(item?.text).toMatch(
      /^The port authority confirmed[\s\S]*north quay\.[\s\S]*stop at nine\.\n\nThe next public meeting is on 3 December at the harbour office\.$/,
    );
    // The second page's pager points back at the first page; it is not fetched again.
    expect(site.requestsTo('/2026/11/24/harbour-dredging')).toHaveLength(1);
    expect(site.requestsTo('/2026/11/24/harbour-dredging/page/2')).toHaveLength(1);

    const again = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id));
    expect(again.result?.counts).toMatchObject({ found: 1, new: 0, duplicate: 1 });
  });

  it('finds the article by readability when the stream gives no selectors', async () => {
    const stream = await createStream(stack.app, {
      name: 'ferry story',
      type: 'web_article',
      config: { base_url: site.url('/news/ferry') },
    });

    const run = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id));

    expect(run.status).toBe('completed');
    const [item] = await savedItems(run.id);
    expect(item).toMatchObject({
      canonical_url: 'https://courier.example.test/news/2026/11/winter-ferry-timetable',
      title: 'Winter ferry timetable cuts evening crossings',
      author: 'Jonas Berg',
      published_at: '2026-11-23T15:05:00.000Z',
    });
    expect(item?.text).toContain('a replacement water taxi could run on request');
    expect(item?.text).not.toContain('Most read');
    expect(item?.language).toBe('en');
  });

  it("stores the response's Content-Language as the language of a page that names none", async () => {
    const stream = await createStream(stack.app, {
      name: 'ferry story, header only',
      type: 'web_article',
      config: { base_url: site.url('/nyheter/ferje') },
    });

    const run = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id));

    expect(run.status).toBe('completed');
    const [item] = await savedItems(run.id);
    expect(item?.text).toContain('a replacement water taxi could run on request');
    expect(item?.language).toBe('nb-NO');
  });

  it('fails without retrying on a page that holds no article', async () => {
    const stream = await createStream(stack.app, {
      name: 'js shell',
      type: 'web_article',
      config: { base_url: site.url('/app') },
    });

    const run = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id));

    expect(run.status).toBe('failed');
    expect(run.error?.type).toBe(FailureType.MalformedBody);
    expect(run.error?.message).toMatch(/no article/);
    expect(site.requestsTo('/app')).toHaveLength(1);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FailureType } from '../../schemas/failure-types.js';
import { createStream, startRun, waitFor, waitForRunToClose } from '../helpers/api.js';
import { FixtureServer } from '../helpers/fixture-server.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';

let stack: TestStack;
let site: FixtureServer;

// Each engine answers under its own prefix of one fixture server: base_url keeps the prefix.
beforeAll(async () => {
  [stack, site] = await Promise.all([startTestStack(), FixtureServer.start()]);
  site.route(
    '/google-news/rss/search',
    { fixture: 'search/google-news-harbour.xml', headers: { 'content-type': 'application/xml; charset=UTF-8' } },
    { fixture: 'search/google-news-ferry.xml', headers: { 'content-type': 'application/xml; charset=UTF-8' } },
  );
  site.route('/google/search', {
    fixture: 'search/google-web-results.html',
    headers: { 'content-type': 'text/html; charset=UTF-8' },
  });
  site.route('/bing/news/search', {
    fixture: 'search/bing-news-harbour.xml',
    headers: { 'content-type': 'text/xml; charset=utf-8' },
  });
  site.route('/ddg/', {
    fixture: 'search/duckduckgo-landing.html',
    headers: { 'content-type': 'text/html; charset=UTF-8' },
  });
  site.route(
    '/ddg/news.js',
    { fixture: 'search/duckduckgo-news.json' },
    { fixture: 'search/duckduckgo-news-page-2.json' },
  );
  site.route('/ddg-html/html/', {
    fixture: 'search/duckduckgo-html-results.html',
    headers: { 'content-type': 'text/html; charset=UTF-8' },
  });
  site.route('/ddg-blocked/', {
    fixture: 'search/duckduckgo-anomaly.html',
    headers: { 'content-type': 'text/html; charset=UTF-8' },
  });
});

afterAll(async () => {
  await stack?.close();
  await site?.close();
});

const savedItems = (runId: string) =>
  stack.db
    .selectFrom('items')
    .select(['canonical_url', 'title', 'author', 'published_at'])
    .where('run_id', '=', runId)
    .orderBy('canonical_url')
    .execute();

const queriesTo = (path: string) =>
  site.requestsTo(path).map((request) => Object.fromEntries(new URLSearchParams(request.search)));

describe('search tasks through the dev server', () => {
  it('google_search news: reads the RSS search per keyword with when:<n>d, keeps N per keyword and each article once', async () => {
    const stream = await createStream(stack.app, {
      name: 'google harbour news',
      type: 'google_search',
      config: {
        keywords: ['harbour dredging', 'ferry berth'],
        max_results_per_keyword: 3,
        days_ago: 7,
        base_url: site.url('/google-news'),
      },
    });

    const run = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id));

    expect(run.status).toBe('completed');
    expect(run.result?.counts).toMatchObject({ found: 6, collected: 4, new: 4 });
    expect(queriesTo('/google-news/rss/search')).toEqual([
      { q: 'harbour dredging when:7d', hl: 'en-US', gl: 'US', ceid: 'US:en' },
      { q: 'ferry berth when:7d', hl: 'en-US', gl: 'US', ceid: 'US:en' },
    ]);
    const items = await savedItems(run.id);
    expect(items.map((item) => item.title).sort()).toEqual([
      'Dredging & the ferry berth: what changes',
      'Ferry berth moves to north quay for eleven weeks',
      'Fishing boats keep moorings as port works loom',
      'Harbour dredging to start in January',
    ]);
    expect(items).toContainEqual({
      canonical_url:
        'https://news.google.com/rss/articles/CBMiZ0FVX3lxTE1oYXJib3VyLWRyZWRnaW5nLXRvLXN0YXJ0LWluLWphbnVhcnk?oc=5',
      title: 'Harbour dredging to start in January',
      author: 'The Gazette',
      published_at: '2026-11-24T05:30:00.000Z',
    });
  });

  it('google_search web: unwraps /url?q= result links and asks for num and a covering time window', async () => {
    const stream = await createStream(stack.app, {
      name: 'google harbour web',
      type: 'google_search',
      config: {
        keywords: ['harbour dredging'],
        max_results_per_keyword: 3,
        days_ago: 3,
        search_type: 'web',
        base_url: site.url('/google'),
      },
    });

    const run = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id));

    expect(run.status).toBe('completed');
    expect(run.result?.counts).toMatchObject({ found: 5, new: 3 });
    expect(queriesTo('/google/search')).toEqual([{ q: 'harbour dredging', num: '3', hl: 'en', tbs: 'qdr:w' }]);
    expect(await savedItems(run.id)).toEqual([
      {
        canonical_url: 'https://gazette.example.test/2026/11/24/harbour-dredging',
        title: 'Harbour dredging to start in January | The Gazette',
        author: null,
        published_at: null,
      },
      {
        canonical_url: 'https://port.example.test/projects/inner-harbour',
        title: 'Inner harbour maintenance dredging - Port Authority',
        author: null,
        published_at: null,
      },
      {
        canonical_url: 'https://weekly.example.test/dredging-faq',
        title: 'Dredging FAQ & timetable',
        author: null,
        published_at: null,
      },
    ]);
  });

  it('bing_search news: asks the RSS form for the last 24 hours and stores publisher URLs, not apiclick links', async () => {
    const stream = await createStream(stack.app, {
      name: 'bing harbour news',
      type: 'bing_search',
      config: { keywords: ['harbour dredging'], base_url: site.url('/bing') },
    });

    const run = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id));

    expect(run.status).toBe('completed');
    expect(run.result?.counts).toMatchObject({ found: 4, new: 3 });
    expect(queriesTo('/bing/news/search')).toEqual([{ q: 'harbour dredging', format: 'rss', qft: 'interval="7"' }]);
    expect(await savedItems(run.id)).toEqual([
      {
        canonical_url: 'https://courier.example.test/news/2026/11/ferry-berth-north-quay',
        title: 'Ferry berth to move to the north quay during harbour works',
        author: null,
        published_at: '2026-11-24T07:45:00.000Z',
      },
      {
        canonical_url: 'https://gazette.example.test/2026/11/24/harbour-dredging',
        title: 'Harbour dredging to start in January',
        author: null,
        published_at: '2026-11-24T05:30:00.000Z',
      },
      {
        canonical_url: 'https://weekly.example.test/2026/11/moorings',
        title: 'Fishing boats keep their moorings',
        author: null,
        published_at: '2026-11-23T18:02:00.000Z',
      },
    ]);
  });

  it('duckduckgo_search news: reads the vqd token, then news.js page by page, skipping broken results', async () => {
    const stream = await createStream(stack.app, {
      name: 'ddg harbour news',
      type: 'duckduckgo_search',
      config: {
        keywords: 'harbour dredging',
        max_results: 5,
        region: 'us-en',
        time_range: 'w',
        safesearch: 'off',
        base_url: site.url('/ddg'),
      },
    });

    const run = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id));

    expect(run.status).toBe('completed');
    expect(run.result?.counts).toMatchObject({ found: 10, new: 5 });
    expect(queriesTo('/ddg/')).toEqual([{ q: 'harbour dredging' }]);
    const newsQuery = {
      l: 'us-en',
      o: 'json',
      noamp: '1',
      q: 'harbour dredging',
      vqd: '4-211350462457293117011862424618286036745',
      p: '-2',
      df: 'w',
    };
    expect(queriesTo('/ddg/news.js')).toEqual([newsQuery, { ...newsQuery, s: '9' }]);
    const items = await savedItems(run.id);
    expect(items.map((item) => item.canonical_url)).toEqual([
      'https://courier.example.test/news/2026/11/ferry-berth-north-quay',
      'https://gazette.example.test/2026/11/20/dredging-consultation',
      'https://gazette.example.test/2026/11/24/harbour-dredging',
      'https://port.example.test/news/dredging-timetable',
      'https://radio.example.test/2026/11/dredging-fleet',
    ]);
    expect(items[2]).toEqual({
      canonical_url: 'https://gazette.example.test/2026/11/24/harbour-dredging',
      title: 'Harbour dredging to start in January',
      author: 'The Gazette',
      published_at: '2026-11-24T05:30:00.000Z',
    });
    expect(items[3]?.published_at).toBeNull();
  });

  it('duckduckgo_search web: reads the HTML results, uddg links unwrapped, ads left out', async () => {
    const stream = await createStream(stack.app, {
      name: 'ddg ferry web',
      type: 'duckduckgo_search',
      config: { keywords: ['ferry timetable'], search_type: 'web', time_range: 'm', base_url: site.url('/ddg-html') },
    });

    const run = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id));

    expect(run.status).toBe('completed');
    expect(run.result?.counts).toMatchObject({ found: 4, new: 3 });
    expect(queriesTo('/ddg-html/html/')).toEqual([{ q: 'ferry timetable', kl: 'wt-wt', df: 'm', kp: '-1' }]);
    expect(await savedItems(run.id)).toEqual([
      {
        canonical_url: 'https://courier.example.test/news/2026/11/winter-ferry-timetable',
        title: 'Winter ferry timetable cuts evening crossings',
        author: null,
        published_at: '2026-11-23T15:05:00.000Z',
      },
      {
        canonical_url: 'https://ferries.example.test/timetables',
        title: 'Timetables | Island Ferries',
        author: null,
        published_at: null,
      },
      {
        canonical_url: 'https://ferries.example.test/timetables/winter-2026.pdf',
        title: 'Ferry timetable winter 2026/27 (PDF)',
        author: null,
        published_at: null,
      },
    ]);
  });

  it('duckduckgo_search fails without retrying when its page carries no vqd token', async () => {
    const stream = await createStream(stack.app, {
      name: 'ddg blocked',
      type: 'duckduckgo_search',
      config: { keywords: ['harbour dredging', 'ferry'], base_url: site.url('/ddg-blocked') },
    });

    const run = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id));

    expect(run.status).toBe('failed');
    expect(run.error?.type).toBe(FailureType.MalformedBody);
    expect(run.error?.message).toMatch(/no vqd token/);
    expect(site.requestsTo('/ddg-blocked/')).toHaveLength(1);
    expect(site.requestsTo('/ddg-blocked/news.js')).toHaveLength(0);
    expect(await savedItems(run.id)).toEqual([]);
  });

  it("cancels mid-search: the second keyword's open request is dropped and nothing is saved", async () => {
    site.route(
      '/bing-slow/news/search',
      { fixture: 'search/bing-news-harbour.xml' },
      { hold: true, headers: { 'content-type': 'text/xml' } },
    );
    const stream = await createStream(stack.app, {
      name: 'bing slow',
      type: 'bing_search',
      config: { keywords: ['harbour dredging', 'ferry berth'], base_url: site.url('/bing-slow') },
    });
    const runId = await startRun(stack.app, stream.id);
    const held = await waitFor(() => site.requestsTo('/bing-slow/news/search')[1]);
    expect(new URLSearchParams(held.search).get('q')).toBe('ferry berth');

    const cancelledAt = Date.now();
    expect((await stack.app.inject({ method: 'POST', url: `/runs/${runId}/cancel` })).statusCode).toBe(202);

    const closedAt = await waitFor(() => held.closedAt, 5000);
    expect(closedAt - cancelledAt).toBeLessThan(3000);
    const run = await waitForRunToClose(stack.app, runId);
    expect(run.status).toBe('cancelled');
    expect(await savedItems(runId)).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import {
  duckDuckGoNewsUrl,
  extractVqd,
  parseDuckDuckGoNews,
  searchDuckDuckGoNews,
} from '../../activities/search/duckduckgo-news.js';
import type { DuckDuckGoQuery } from '../../activities/search/duckduckgo-params.js';
import { duckDuckGoWebUrl, parseDuckDuckGoWeb, searchDuckDuckGoWeb } from '../../activities/search/duckduckgo-web.js';
import type { FetchSearchText } from '../../activities/search/search-page.js';
import type { FetchedText } from '../../activities/http/http-client.js';
import { FailureType } from '../../schemas/failure-types.js';
import { readFixtureText } from '../helpers/fixtures.js';

const query: DuckDuckGoQuery = { region: 'wt-wt', timeRange: 'd', safesearch: 'moderate' };
const VQD = '4-211350462457293117011862424618286036745';

/** A stand-in for the HTTP client: answers by path, one answer after another, and records the addresses asked. */
function fakeFetch(answers: Record<string, Array<string | { status: number; body: string }>>) {
  const asked: URL[] = [];
  const fetchText: FetchSearchText = async (url) => {
    const parsed = new URL(url);
    asked.push(parsed);
    const queue = answers[parsed.pathname];
    const next = queue?.length && queue.length > 1 ? queue.shift() : queue?.[0];
    if (next === undefined) throw new Error(`no answer for ${url}`);
    const { status, body } = typeof next === 'string' ? { status: 200, body: next } : next;
    return { url, status, body, contentType: null, etag: null, lastModified: null } satisfies FetchedText;
  };
  return { asked, fetchText };
}

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

describe('the vqd token', () => {
  it('is read from the landing page', () => {
    expect(extractVqd(readFixtureText('search/duckduckgo-landing.html'))).toBe(VQD);
  });

  it.each([
    [`<script>vqd='4-1234567890'</script>`, '4-1234567890'],
    [`nrj('/d.js?q=a&vqd=4-98765&l=wt-wt')`, '4-98765'],
    [`{"vqd":"4-555"}`, '4-555'],
    [`<input type="hidden" name="vqd" value="4-42-7" />`, '4-42-7'],
  ])('is found in %s', (html, token) => {
    expect(extractVqd(html)).toBe(token);
  });

  it('is missing from a challenge page, and a token-like word without digits is not one', () => {
    expect(extractVqd(readFixtureText('search/duckduckgo-anomaly.html'))).toBeNull();
    expect(extractVqd('<script>var vqd=null;</script>')).toBeNull();
  });
});

describe('DuckDuckGo news', () => {
  it('asks news.js with region, JSON, the token, safe search and time range', () => {
    const url = new URL(
      duckDuckGoNewsUrl(
        'https://duckduckgo.com',
        'harbour dredging',
        VQD,
        { region: 'us-en', timeRange: 'w', safesearch: 'off' },
        0,
      ),
    );
    expect(url.pathname).toBe('/news.js');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      l: 'us-en',
      o: 'json',
      noamp: '1',
      q: 'harbour dredging',
      vqd: VQD,
      p: '-2',
      df: 'w',
    });
    expect(
      new URL(
        duckDuckGoNewsUrl('https://duckduckgo.com', 'a', VQD, { ...query, safesearch: 'on' }, 30),
      ).searchParams.get('s'),
    ).toBe('30');
  });

  it('skips results without url or title, or with a link that is not http(s), and keeps the rest', () => {
    const { items, offered, hasNext } = parseDuckDuckGoNews(
      readFixtureText('search/duckduckgo-news.json'),
      'https://duckduckgo.com/news.js',
    );
    expect(offered).toBe(9);
    expect(hasNext).toBe(true);
    expect(items.map((item) => item.url)).toEqual([
      'https://gazette.example.test/2026/11/24/harbour-dredging?utm_source=duckduckgo',
      'https://courier.example.test/news/2026/11/ferry-berth-north-quay',
      'https://gazette.example.test/2026/11/24/harbour-dredging',
      'https://port.example.test/news/dredging-timetable',
      'https://radio.example.test/2026/11/dredging-fleet',
    ]);
    expect(items[0]).toEqual({
      url: 'https://gazette.example.test/2026/11/24/harbour-dredging?utm_source=duckduckgo',
      canonicalUrl: 'https://gazette.example.test/2026/11/24/harbour-dredging',
      title: 'Harbour dredging to start in January',
      summary:
        'The port authority confirmed on Monday that dredging of the inner harbour will begin in the second week of January.',
      author: 'The Gazette',
      publishedAt: '2026-11-24T05:30:00.000Z',
    });
    expect(items[1]?.title).toBe("Ferry berth to move during 'harbour' works");
    // A date that is not Unix seconds loses the date, not the result.
    expect(items[3]).toMatchObject({ title: 'Port authority publishes dredging timetable', publishedAt: null });
  });

  it('refuses an answer that is not JSON or has no results list', () => {
    expect(() => parseDuckDuckGoNews('<html>oops</html>', 'https://duckduckgo.com/news.js')).toThrow(
      expect.objectContaining({ type: FailureType.MalformedBody, nonRetryable: true }),
    );
    expect(() => parseDuckDuckGoNews('{"results":"none"}', 'https://duckduckgo.com/news.js')).toThrow(
      /no results list/,
    );
    expect(parseDuckDuckGoNews('{"results":[]}', 'https://duckduckgo.com/news.js')).toEqual({
      items: [],
      offered: 0,
      hasNext: false,
    });
  });

  it('reads the token, then pages through news.js until it has the results it wants', async () => {
    const { asked, fetchText } = fakeFetch({
      '/': [readFixtureText('search/duckduckgo-landing.html')],
      '/news.js': [
        readFixtureText('search/duckduckgo-news.json'),
        readFixtureText('search/duckduckgo-news-page-2.json'),
      ],
    });
    const page = await searchDuckDuckGoNews(fetchText, 'https://duckduckgo.com', 'harbour dredging', 5, query);
    expect(asked.map((url) => url.pathname)).toEqual(['/', '/news.js', '/news.js']);
    expect(asked[0]?.searchParams.get('q')).toBe('harbour dredging');
    expect(asked[1]?.searchParams.get('vqd')).toBe(VQD);
    expect(asked[1]?.searchParams.has('s')).toBe(false);
    expect(asked[2]?.searchParams.get('s')).toBe('9');
    expect(page.offered).toBe(10);
    expect(page.items.at(-1)?.url).toBe('https://gazette.example.test/2026/11/20/dredging-consultation');
  });

  it('asks one page when it holds enough distinct results', async () => {
    const { asked, fetchText } = fakeFetch({
      '/': [readFixtureText('search/duckduckgo-landing.html')],
      '/news.js': [readFixtureText('search/duckduckgo-news.json')],
    });
    await searchDuckDuckGoNews(fetchText, 'https://duckduckgo.com', 'harbour dredging', 3, query);
    expect(asked.map((url) => url.pathname)).toEqual(['/', '/news.js']);
  });

  it('fails without retrying, naming the token, when the page has none; news.js is never asked', async () => {
    const { asked, fetchText } = fakeFetch({ '/': [readFixtureText('search/duckduckgo-anomaly.html')] });
    const failure = await failureOf(
      searchDuckDuckGoNews(fetchText, 'https://duckduckgo.com', 'harbour dredging', 5, query),
    );
    expect(failure).toMatchObject({
      type: FailureType.MalformedBody,
      nonRetryable: true,
      message: expect.stringMatching(/no vqd token/),
    });
    expect(asked).toHaveLength(1);
  });

  it('retries when DuckDuckGo throttles with a 202', async () => {
    const { fetchText } = fakeFetch({ '/': [{ status: 202, body: '' }] });
    const failure = await failureOf(searchDuckDuckGoNews(fetchText, 'https://duckduckgo.com', 'a', 5, query));
    expect(failure).toMatchObject({ type: FailureType.HttpTransient, nonRetryable: false });
  });
});

describe('DuckDuckGo web (HTML results)', () => {
  it('asks /html/ with region, time range and safe search', () => {
    const url = new URL(
      duckDuckGoWebUrl('https://html.duckduckgo.com', 'ferry timetable', {
        region: 'de-de',
        timeRange: 'm',
        safesearch: 'on',
      }),
    );
    expect(url.origin + url.pathname).toBe('https://html.duckduckgo.com/html/');
    expect(Object.fromEntries(url.searchParams)).toEqual({ q: 'ferry timetable', kl: 'de-de', df: 'm', kp: '1' });
  });

  it('reads a.result__a links, unwrapping uddg, with snippet and date, and leaves ads out', () => {
    const { items, offered } = parseDuckDuckGoWeb(
      readFixtureText('search/duckduckgo-html-results.html'),
      'https://html.duckduckgo.com/html/?q=ferry+timetable',
    );
    expect(offered).toBe(4);
    expect(items.map((item) => item.url)).toEqual([
      'https://courier.example.test/news/2026/11/winter-ferry-timetable?utm_source=ddg',
      'https://ferries.example.test/timetables',
      'https://ferries.example.test/timetables/winter-2026.pdf',
      'https://courier.example.test/news/2026/11/winter-ferry-timetable',
    ]);
    expect(items[0]).toEqual({
      url: 'https://courier.example.test/news/2026/11/winter-ferry-timetable?utm_source=ddg',
      canonicalUrl: 'https://courier.example.test/news/2026/11/winter-ferry-timetable',
      title: 'Winter ferry timetable cuts evening crossings',
      summary:
        'The ferry operator will drop the last two evening crossings from December; the first departure stays at 05:50 on weekdays.',
      author: null,
      publishedAt: '2026-11-23T15:05:00.000Z',
    });
    expect(items[1]).toMatchObject({
      summary: 'Current and winter timetables for all island routes, with holiday exceptions & changes.',
      publishedAt: null,
    });
  });

  it('keeps a result that is a duckduckgo.com page, but not a click counter left unwrapped', () => {
    const html = `<div class="result"><a class="result__a" href="//duckduckgo.com/l/?uddg=https%3A%2F%2Fduckduckgo.com%2Fprivacy">Privacy</a></div>
      <div class="result"><a class="result__a" href="//duckduckgo.com/l/?rut=abc">Lost target</a></div>`;
    expect(parseDuckDuckGoWeb(html, 'https://html.duckduckgo.com/html/').items.map((item) => item.url)).toEqual([
      'https://duckduckgo.com/privacy',
    ]);
  });

  it('retries a 202 page instead of reading it as "no results"', async () => {
    const { fetchText } = fakeFetch({ '/html/': [{ status: 202, body: '<html><body>no results</body></html>' }] });
    const failure = await failureOf(searchDuckDuckGoWeb(fetchText, 'https://html.duckduckgo.com', 'a', query));
    expect(failure).toMatchObject({ type: FailureType.HttpTransient, message: expect.stringMatching(/202/) });
  });
});

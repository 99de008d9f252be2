import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { googleNewsUrl, parseGoogleNews } from '../../activities/search/google-news.js';
import { googleTimeWindow, googleWebUrl, parseGoogleWeb } from '../../activities/search/google-web.js';
import { FailureType } from '../../schemas/failure-types.js';
import { readFixtureText } from '../helpers/fixtures.js';

const newsFeedUrl = 'https://news.google.com/rss/search?q=harbour+dredging&hl=en-US&gl=US&ceid=US:en';
const webPageUrl = 'https://www.google.com/search?q=harbour+dredging&num=5&hl=en';

describe('Google News search feed', () => {
  it('asks the RSS search with when:<n>d in the query and the en-US edition', () => {
    const url = new URL(googleNewsUrl('https://news.google.com', 'harbour dredging', 7));
    expect(url.origin + url.pathname).toBe('https://news.google.com/rss/search');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      q: 'harbour dredging when:7d',
      hl: 'en-US',
      gl: 'US',
      ceid: 'US:en',
    });
    expect(new URL(googleNewsUrl('https://news.google.com', '"ferry berth"', undefined)).searchParams.get('q')).toBe(
      '"ferry berth"',
    );
  });

  it('reads link, title without the publication, pubDate and the <source> as author', () => {
    const { items, offered } = parseGoogleNews(readFixtureText('search/google-news-harbour.xml'), newsFeedUrl);
    expect(offered).toBe(4);
    expect(items).toHaveLength(4);
    expect(items[0]).toEqual({
      url: 'https://news.google.com/rss/articles/CBMiZ0FVX3lxTE1oYXJib3VyLWRyZWRnaW5nLXRvLXN0YXJ0LWluLWphbnVhcnk?oc=5',
      canonicalUrl:
        'https://news.google.com/rss/articles/CBMiZ0FVX3lxTE1oYXJib3VyLWRyZWRnaW5nLXRvLXN0YXJ0LWluLWphbnVhcnk?oc=5',
      title: 'Harbour dredging to start in January',
      summary: null,
      author: 'The Gazette',
      publishedAt: '2026-11-24T05:30:00.000Z',
    });
    expect(items.map((item) => item.title)).toContain('Dredging & the ferry berth: what changes');
  });

  it('keeps a title whose ending is not its publication as it is', () => {
    const feed = `<rss version="2.0"><channel><title>t</title><item><title>Gazette - an interview</title><link>https://news.google.com/rss/articles/X</link><source url="https://g.test">The Gazette</source></item></channel></rss>`;
    expect(parseGoogleNews(feed, newsFeedUrl).items[0]?.title).toBe('Gazette - an interview');
  });

  it('fails without retrying when the answer is not a feed', () => {
    let failure: unknown;
    try {
      parseGoogleNews('<html><body>Before you continue to Google</body></html>', newsFeedUrl);
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: FailureType.NotAFeed, nonRetryable: true });
  });
});

describe('Google web results page', () => {
  it('asks for num results in English, with the smallest time window covering days_ago', () => {
    const url = new URL(googleWebUrl('https://www.google.com', 'harbour dredging', 8, 3));
    expect(url.pathname).toBe('/search');
    expect(Object.fromEntries(url.searchParams)).toEqual({ q: 'harbour dredging', num: '8', hl: 'en', tbs: 'qdr:w' });
    expect(new URL(googleWebUrl('https://www.google.com', 'a', 5, undefined)).searchParams.has('tbs')).toBe(false);
  });

  it.each([
    [1, 'd'],
    [2, 'w'],
    [7, 'w'],
    [8, 'm'],
    [31, 'm'],
    [32, 'y'],
    [365, 'y'],
  ] as const)('maps %i days to qdr:%s', (days, window) => {
    expect(googleTimeWindow(days)).toBe(window);
  });

  it("takes the links holding an <h3>, unwraps /url?q= to the target and leaves Google's own links out", () => {
    const { items, offered } = parseGoogleWeb(readFixtureText('search/google-web-results.html'), webPageUrl);
    expect(offered).toBe(5);
    expect(items.map((item) => item.url)).toEqual([
      'https://gazette.example.test/2026/11/24/harbour-dredging?utm_source=google',
      'https://port.example.test/projects/inner-harbour',
      'https://weekly.example.test/dredging-faq',
      'https://gazette.example.test/2026/11/24/harbour-dredging',
      'https://courier.example.test/news/2026/11/dredging-moorings',
    ]);
    expect(items[0]).toMatchObject({
      canonicalUrl: 'https://gazette.example.test/2026/11/24/harbour-dredging',
      title: 'Harbour dredging to start in January | The Gazette',
      summary:
        '2 days ago · The port authority confirmed that dredging of the inner harbour will begin in the second week of January.',
      publishedAt: null,
    });
    expect(items[2]).toMatchObject({ title: 'Dredging FAQ & timetable', summary: null });
  });

  it("finds nothing on a page without results, and resolves links against a test server's address", () => {
    expect(
      parseGoogleWeb('<html><body><p>Your search did not match any documents.</p></body></html>', webPageUrl),
    ).toEqual({ items: [], offered: 0 });
    const local = parseGoogleWeb(
      '<a href="/url?q=https://a.example.test/&amp;sa=U"><h3>A</h3></a><a href="/search?q=b"><h3>More</h3></a>',
      'http://127.0.0.1:5000/search?q=a',
    );
    expect(local.items.map((item) => item.url)).toEqual(['https://a.example.test/']);
  });
});

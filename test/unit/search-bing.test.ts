import { describe, expect, it } from 'vitest';
import { bingUrl, parseBingRss } from '../../activities/search/bing.js';
import { readFixtureText } from '../helpers/fixtures.js';

const params = (url: string) => Object.fromEntries(new URL(url).searchParams);

describe('Bing search addresses', () => {
  it('asks news for RSS, from the last 24 hours unless told otherwise', () => {
    const url = bingUrl('https://www.bing.com', 'harbour dredging', {
      searchType: 'news',
      limit: 5,
      freshness: undefined,
    });
    expect(url).toBe('https://www.bing.com/news/search?q=harbour+dredging&format=rss&qft=interval%3D%227%22');
    expect(params(bingUrl('https://www.bing.com', 'a', { searchType: 'news', limit: 5, freshness: 'week' })).qft).toBe(
      'interval="8"',
    );
    expect(params(bingUrl('https://www.bing.com', 'a', { searchType: 'news', limit: 5, freshness: 'month' })).qft).toBe(
      'interval="9"',
    );
    expect(params(bingUrl('https://www.bing.com', 'a', { searchType: 'news', limit: 5, freshness: 'any' }))).toEqual({
      q: 'a',
      format: 'rss',
    });
  });

  it('asks web for RSS with a count, unfiltered unless told otherwise', () => {
    expect(
      bingUrl('https://www.bing.com', 'ferry timetable', { searchType: 'web', limit: 7, freshness: undefined }),
    ).toBe('https://www.bing.com/search?q=ferry+timetable&format=rss&count=7');
    expect(
      params(bingUrl('https://www.bing.com', 'a', { searchType: 'web', limit: 7, freshness: 'day' })).filters,
    ).toBe('ex1:"ez1"');
  });
});

describe('Bing RSS results', () => {
  it("unwraps apiclick.aspx news links to the publisher's URL and reads title, description and pubDate", () => {
    const { items, offered } = parseBingRss(
      readFixtureText('search/bing-news-harbour.xml'),
      'https://www.bing.com/news/search?q=harbour+dredging&format=rss',
    );
    expect(offered).toBe(4);
    // The feed lists the Gazette story twice, through two click counters: it is one item.
    expect(items.map((item) => item.canonicalUrl)).toEqual([
      'https://gazette.example.test/2026/11/24/harbour-dredging',
      'https://courier.example.test/news/2026/11/ferry-berth-north-quay',
      'https://weekly.example.test/2026/11/moorings',
    ]);
    expect(items[0]).toEqual({
      url: 'https://gazette.example.test/2026/11/24/harbour-dredging?utm_source=bing',
      canonicalUrl: 'https://gazette.example.test/2026/11/24/harbour-dredging',
      title: 'Harbour dredging to start in January',
      summary:
        'The port authority confirmed on Monday that dredging of the inner harbour will begin in the second week of January. Work is expected to last eleven weeks …',
      author: null,
      publishedAt: '2026-11-24T05:30:00.000Z',
    });
    expect(items[1]).toMatchObject({
      title: 'Ferry berth to move to the north quay during harbour works',
      summary: 'The ferry berth will move to the north quay for the eleven weeks of dredging, the operator said.',
    });
  });

  it('takes web result links as they are', () => {
    const { items, offered } = parseBingRss(
      readFixtureText('search/bing-web-results.xml'),
      'https://www.bing.com/search?q=ferry+timetable&format=rss&count=5',
    );
    expect(offered).toBe(3);
    expect(items.map((item) => item.url)).toEqual([
      'https://courier.example.test/news/2026/11/winter-ferry-timetable',
      'https://ferries.example.test/timetables',
      'https://ferries.example.test/timetables/winter-2026.pdf',
    ]);
    expect(items[0]?.publishedAt).toBe('2026-11-23T15:05:00.000Z');
  });
});

import { entriesToItems } from '../feeds/entries-to-items.js';
import { searchEndpoint } from './search-endpoint.js';
import { parseSearchFeed } from './search-feed.js';
import { withoutHighlights } from './search-item.js';
import { RSS_ACCEPT, type FetchSearchText, type SearchPage } from './search-page.js';
import { unwrapRedirect, type RedirectForm } from './unwrap-redirect.js';

export type BingFreshness = 'day' | 'week' | 'month' | 'any';

// Bing's own filter values: news intervals "7", "8", "9" are its past 24 hours, 7 days and 30 days;
// web's ex1 filters ez1, ez2, ez3 the past day, week and month.
const NEWS_INTERVAL = { day: '7', week: '8', month: '9' } as const;
const WEB_FILTER = { day: 'ez1', week: 'ez2', month: 'ez3' } as const;

const BING_REDIRECT: RedirectForm = { path: /^\/news\/apiclick\.aspx$/i, params: ['url'] };

export interface BingQuery {
  searchType: 'news' | 'web';
  limit: number;
  /** Unset: news keeps the past 24 hours, as the system this replaces did; web is not filtered. */
  freshness: BingFreshness | undefined;
}

export function bingUrl(base: string, keyword: string, query: BingQuery): string {
  if (query.searchType === 'news') {
    const freshness = query.freshness ?? 'day';
    return searchEndpoint(base, 'news/search', {
      q: keyword,
      format: 'rss',
      qft: freshness === 'any' ? undefined : `interval="${NEWS_INTERVAL[freshness]}"`,
    });
  }
  const freshness = query.freshness ?? 'any';
  return searchEndpoint(base, 'search', {
    q: keyword,
    format: 'rss',
    count: query.limit,
    filters: freshness === 'any' ? undefined : `ex1:"${WEB_FILTER[freshness]}"`,
  });
}

/**
 * Items of a Bing RSS result page, news or web. News links are Bing's apiclick.aspx click counters
 * with the publisher's URL in `url`; they are unwrapped so the item is stored under that URL.
 */
export function parseBingRss(body: string, feedUrl: string): SearchPage {
  const feed = parseSearchFeed(body, feedUrl);
  const entries = feed.entries.map((entry) => ({
    ...entry,
    link: entry.link && unwrapRedirect(entry.link, feedUrl, BING_REDIRECT),
    title: entry.title && withoutHighlights(entry.title),
    summary: entry.summary && withoutHighlights(entry.summary),
  }));
  return { items: entriesToItems({ ...feed, entries }, feedUrl), offered: feed.entries.length };
}

export async function searchBing(
  fetchText: FetchSearchText,
  base: string,
  keyword: string,
  query: BingQuery,
): Promise<SearchPage> {
  const response = await fetchText(bingUrl(base, keyword, query), RSS_ACCEPT);
  return parseBingRss(response.body, response.url);
}

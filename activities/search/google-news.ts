import { entriesToItems } from '../feeds/entries-to-items.js';
import { searchEndpoint } from './search-endpoint.js';
import { parseSearchFeed } from './search-feed.js';
import { RSS_ACCEPT, type FetchSearchText, type SearchPage } from './search-page.js';

export const GOOGLE_NEWS_ORIGIN = 'https://news.google.com';

/** Google News' RSS search: `when:<n>d` is Google's own query operator for "the last n days". */
export function googleNewsUrl(base: string, keyword: string, daysAgo: number | undefined): string {
  const q = daysAgo === undefined ? keyword : `${keyword} when:${daysAgo}d`;
  return searchEndpoint(base, 'rss/search', { q, hl: 'en-US', gl: 'US', ceid: 'US:en' });
}

/**
 * Items of a Google News search feed. Links stay the news.google.com/rss/articles/… redirects: their
 * target is not in the feed, and following each one would cost a request per result. Titles end in
 * " - <publication>", which is the <source> and becomes the author; the description only repeats
 * title and publication as HTML, so items carry no summary.
 */
export function parseGoogleNews(body: string, feedUrl: string): SearchPage {
  const feed = parseSearchFeed(body, feedUrl);
  const entries = feed.entries.map((entry) => ({
    ...entry,
    title: withoutSuffix(entry.title, entry.source),
    summary: null,
    author: entry.source ?? entry.author,
  }));
  return { items: entriesToItems({ ...feed, entries }, feedUrl), offered: feed.entries.length };
}

export async function searchGoogleNews(
  fetchText: FetchSearchText,
  base: string,
  keyword: string,
  daysAgo: number | undefined,
): Promise<SearchPage> {
  const response = await fetchText(googleNewsUrl(base, keyword, daysAgo), RSS_ACCEPT);
  return parseGoogleNews(response.body, response.url);
}

function withoutSuffix(title: string | null, source: string | null | undefined): string | null {
  if (!title || !source) return title;
  const suffix = ` - ${source}`;
  return title.endsWith(suffix) && title.length > suffix.length ? title.slice(0, -suffix.length) : title;
}

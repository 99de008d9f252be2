import type { CollectedItem } from '../../schemas/stream-run.js';
import { parseSearchHtml } from './parse-search-html.js';
import { HTML_ACCEPT } from '../articles/extract-article.js';
import { searchEndpoint } from './search-endpoint.js';
import { collapseText, searchItem } from './search-item.js';
import type { FetchSearchText, SearchPage } from './search-page.js';
import { unwrapRedirect, type RedirectForm } from './unwrap-redirect.js';
import { nodeText } from '../text/node-text.js';

export const GOOGLE_WEB_ORIGIN = 'https://www.google.com';

const GOOGLE_REDIRECT: RedirectForm = { path: /^\/url$/, params: ['q', 'url'] };

/**
 * Google's time filter knows only past day, week, month and year (qdr:d|w|m|y): n days map to the
 * smallest window that covers them, so a filter never hides a result the stream asked for.
 */
export function googleTimeWindow(daysAgo: number): 'd' | 'w' | 'm' | 'y' {
  if (daysAgo <= 1) return 'd';
  if (daysAgo <= 7) return 'w';
  if (daysAgo <= 31) return 'm';
  return 'y';
}

export function googleWebUrl(base: string, keyword: string, limit: number, daysAgo: number | undefined): string {
  return searchEndpoint(base, 'search', {
    q: keyword,
    num: limit,
    hl: 'en',
    tbs: daysAgo === undefined ? undefined : `qdr:${googleTimeWindow(daysAgo)}`,
  });
}

/**
 * Results of Google's basic HTML results page: the links that hold an <h3> (ads, image strips and
 * related searches have none). Their /url?q=<target> redirects are unwrapped; a link that stays on
 * the results page's host ("Images for …", another search) is Google's own navigation, not a result.
 * The snippet is best effort: Google renames its classes, and a result without one keeps its title.
 */
export function parseGoogleWeb(html: string, pageUrl: string): SearchPage {
  const document = parseSearchHtml(html, pageUrl);
  const pageHost = new URL(pageUrl).host;
  let offered = 0;
  const items: CollectedItem[] = [];
  for (const anchor of document.querySelectorAll('a[href]')) {
    const heading = anchor.querySelector('h3');
    if (!heading) continue;
    const url = unwrapRedirect(anchor.getAttribute('href') ?? '', pageUrl, GOOGLE_REDIRECT);
    if (url && new URL(url).host === pageHost) continue;
    offered += 1;
    const snippet = anchor.closest('div.g, div.Gx5Zad')?.querySelector('.VwiC3b, .s3v9rd');
    const item = searchItem({
      url,
      title: collapseText(nodeText(heading)),
      summary: collapseText(nodeText(snippet)),
    });
    if (item) items.push(item);
  }
  return { items, offered };
}

export async function searchGoogleWeb(
  fetchText: FetchSearchText,
  base: string,
  keyword: string,
  limit: number,
  daysAgo: number | undefined,
): Promise<SearchPage> {
  const response = await fetchText(googleWebUrl(base, keyword, limit, daysAgo), HTML_ACCEPT);
  return parseGoogleWeb(response.body, response.url);
}

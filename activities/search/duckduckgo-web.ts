import type { CollectedItem } from '../../schemas/stream-run.js';
import { HTML_ACCEPT } from '../articles/extract-article.js';
import { parseSearchHtml } from './parse-search-html.js';
import { toIsoDate } from '../feeds/entries-to-items.js';
import { assertNotThrottled } from './duckduckgo-throttle.js';
import { SAFE_SEARCH_CODE, type DuckDuckGoQuery } from './duckduckgo-params.js';
import { searchEndpoint } from './search-endpoint.js';
import { collapseText, searchItem } from './search-item.js';
import type { FetchSearchText, SearchPage } from './search-page.js';
import { unwrapRedirect, type RedirectForm } from './unwrap-redirect.js';
import { nodeText } from '../text/node-text.js';

export const DUCKDUCKGO_HTML_ORIGIN = 'https://html.duckduckgo.com';

const DUCKDUCKGO_REDIRECT: RedirectForm = { path: /^\/l\/?$/, params: ['uddg'] };

export function duckDuckGoWebUrl(base: string, keyword: string, query: DuckDuckGoQuery): string {
  return searchEndpoint(base, 'html/', {
    q: keyword,
    kl: query.region,
    df: query.timeRange,
    kp: SAFE_SEARCH_CODE[query.safesearch],
  });
}

/**
 * Results of DuckDuckGo's HTML page: each organic `.result` block's a.result__a, its
 * //duckduckgo.com/l/?uddg=<target> redirect unwrapped, and its .result__snippet. Ad blocks
 * (.result--ad) are not results. Some results show the page's date
 * next to its address; when it reads as a date it becomes the published time.
 */
export function parseDuckDuckGoWeb(html: string, pageUrl: string): SearchPage {
  const document = parseSearchHtml(html, pageUrl);
  let offered = 0;
  const items: CollectedItem[] = [];
  for (const block of document.querySelectorAll('.result:not(.result--ad)')) {
    const anchor = block.querySelector('a.result__a');
    if (!anchor) continue;
    const url = unwrapRedirect(anchor.getAttribute('href') ?? '', pageUrl, DUCKDUCKGO_REDIRECT);
    if (url && isDuckDuckGoOwn(new URL(url), pageUrl)) continue;
    offered += 1;
    const item = searchItem({
      url,
      title: collapseText(nodeText(anchor)),
      summary: collapseText(nodeText(block.querySelector('.result__snippet'))),
      publishedAt: toIsoDate(
        collapseText(block.querySelector('.result__extras__url > span:not(.result__icon)')?.textContent),
      ),
    });
    if (item) items.push(item);
  }
  return { items, offered };
}

export async function searchDuckDuckGoWeb(
  fetchText: FetchSearchText,
  base: string,
  keyword: string,
  query: DuckDuckGoQuery,
): Promise<SearchPage> {
  const response = await fetchText(duckDuckGoWebUrl(base, keyword, query), HTML_ACCEPT);
  assertNotThrottled(response);
  return parseDuckDuckGoWeb(response.body, response.url);
}

// What still points at DuckDuckGo after unwrapping is its own navigation, or a click counter (l/ without
// a target, y.js of an ad), not a result; a result that is a duckduckgo.com page is kept.
function isDuckDuckGoOwn(url: URL, pageUrl: string): boolean {
  return (
    url.host === new URL(pageUrl).host ||
    (/(^|\.)duckduckgo\.com$/.test(url.host) && /^\/(l\/?|y\.js)$/.test(url.pathname))
  );
}

import { z } from 'zod';
import { FailureType } from '../../schemas/failure-types.js';
import type { CollectedItem } from '../../schemas/stream-run.js';
import { HTML_ACCEPT } from '../articles/extract-article.js';
import { permanentFailure } from '../failures.js';
import { htmlToText } from '../feeds/html-to-text.js';
import { assertNotThrottled } from './duckduckgo-throttle.js';
import { SAFE_SEARCH_CODE, type DuckDuckGoQuery } from './duckduckgo-params.js';
import { searchEndpoint } from './search-endpoint.js';
import { searchItem, withoutHighlights } from './search-item.js';
import { JSON_ACCEPT, type FetchSearchText, type SearchPage } from './search-page.js';

export const DUCKDUCKGO_ORIGIN = 'https://duckduckgo.com';

/** news.js answers about 30 results a page; max_results (≤ 100) never needs more than this many. */
const MAX_NEWS_PAGES = 4;

// The token sits in the page's scripts (vqd="4-…", vqd='4-…', vqd=4-…&, "vqd":"4-…") or in a hidden
// form field; a real one always has digits, which keeps `vqd=null` and the like out.
const VQD_PATTERNS = [
  /\bvqd["']?\s*[=:]\s*["']?((?=[\w-]*\d)[\w-]+)/,
  /name=["']vqd["'][^>]*\bvalue=["']((?=[\w-]*\d)[\w-]+)["']/,
];

/** The query token DuckDuckGo's JSON endpoints require; it is tied to the query, so every keyword needs its own. */
export function extractVqd(html: string): string | null {
  for (const pattern of VQD_PATTERNS) {
    const token = pattern.exec(html)?.[1];
    if (token) return token;
  }
  return null;
}

export function duckDuckGoLandingUrl(base: string, keyword: string): string {
  return searchEndpoint(base, '', { q: keyword });
}

export function duckDuckGoNewsUrl(
  base: string,
  keyword: string,
  vqd: string,
  query: DuckDuckGoQuery,
  offset: number,
): string {
  return searchEndpoint(base, 'news.js', {
    l: query.region,
    o: 'json',
    noamp: '1',
    q: keyword,
    vqd,
    p: SAFE_SEARCH_CODE[query.safesearch],
    df: query.timeRange,
    s: offset > 0 ? offset : undefined,
  });
}

const newsAnswer = z.object({ results: z.array(z.unknown()), next: z.string().optional().catch(undefined) });

// One result with a broken optional field keeps the rest of it; one without url or title is skipped.
const newsResult = z.object({
  url: z.string().min(1),
  title: z.string().min(1),
  excerpt: z.string().optional().catch(undefined),
  source: z.string().optional().catch(undefined),
  date: z.number().positive().optional().catch(undefined),
});

/** One page of news.js: its usable results, how many it listed, and whether it has a next page. */
export function parseDuckDuckGoNews(body: string, url: string): SearchPage & { hasNext: boolean } {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw permanentFailure(FailureType.MalformedBody, `${url}: DuckDuckGo's news answer is not JSON`, { url });
  }
  const answer = newsAnswer.safeParse(json);
  if (!answer.success)
    throw permanentFailure(FailureType.MalformedBody, `${url}: DuckDuckGo's news answer has no results list`, { url });
  const items: CollectedItem[] = [];
  for (const raw of answer.data.results) {
    const result = newsResult.safeParse(raw);
    if (!result.success) continue;
    const { url: link, title, excerpt, source, date } = result.data;
    const item = searchItem({
      url: link,
      title: htmlToText(withoutHighlights(title)),
      summary: excerpt ? htmlToText(withoutHighlights(excerpt)) : null,
      author: source ?? null,
      publishedAt: date === undefined ? null : unixSecondsToIso(date),
    });
    if (item) items.push(item);
  }
  return { items, offered: answer.data.results.length, hasNext: answer.data.next !== undefined };
}

/** The landing page for the token, then news.js page by page until `limit` results or the last page. */
export async function searchDuckDuckGoNews(
  fetchText: FetchSearchText,
  base: string,
  keyword: string,
  limit: number,
  query: DuckDuckGoQuery,
): Promise<SearchPage> {
  const landing = await fetchText(duckDuckGoLandingUrl(base, keyword), HTML_ACCEPT);
  assertNotThrottled(landing);
  const vqd = extractVqd(landing.body);
  if (!vqd) {
    throw permanentFailure(
      FailureType.MalformedBody,
      `${landing.url}: DuckDuckGo's page carries no vqd token, without which its news cannot be asked for (the page may have changed)`,
      { url: landing.url },
    );
  }
  const items: CollectedItem[] = [];
  let offered = 0;
  for (let page = 0; page < MAX_NEWS_PAGES; page += 1) {
    const response = await fetchText(duckDuckGoNewsUrl(base, keyword, vqd, query, offered), JSON_ACCEPT);
    assertNotThrottled(response);
    const answer = parseDuckDuckGoNews(response.body, response.url);
    items.push(...answer.items);
    offered += answer.offered;
    if (!answer.hasNext || answer.offered === 0 || new Set(items.map((item) => item.canonicalUrl)).size >= limit) break;
  }
  return { items, offered };
}

function unixSecondsToIso(seconds: number): string | null {
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

import type { CollectedItem } from '../../schemas/stream-run.js';
import type { KeywordSearch } from './search-page.js';

/** Where a search run is, for heartbeats and the Temporal UI. */
export interface KeywordProgress {
  keyword: string | null;
  done: number;
  total: number;
}

/**
 * Searches the keywords one after another (the engines throttle parallel queries; the HTTP client
 * spaces them). Each keyword keeps its first `limit` distinct results; a result another keyword found
 * first is dropped, so the run keeps each URL once, for the first keyword that found it. `found` is
 * what the engines listed, before any of that.
 */
export async function searchEachKeyword(
  keywords: readonly string[],
  limit: number,
  search: KeywordSearch,
  progress: KeywordProgress = { keyword: null, done: 0, total: keywords.length },
): Promise<{ items: CollectedItem[]; found: number }> {
  const kept = new Set<string>();
  const items: CollectedItem[] = [];
  let found = 0;
  for (const keyword of keywords) {
    progress.keyword = keyword;
    const page = await search(keyword, limit);
    found += page.offered;
    const ownResults = new Set<string>();
    for (const item of page.items) {
      if (ownResults.size >= limit) break;
      if (ownResults.has(item.canonicalUrl)) continue;
      ownResults.add(item.canonicalUrl);
      if (kept.has(item.canonicalUrl)) continue;
      kept.add(item.canonicalUrl);
      items.push(item);
    }
    progress.done += 1;
  }
  return { items, found };
}

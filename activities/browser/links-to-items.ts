import type { CollectedItem } from '../../schemas/stream-run.js';
import { canonicalizeUrl } from '../canonical-url.js';

/** Links read from a page, as items: http(s) only, one per canonical URL, in page order, at most `max`. */
export function linksToItems(links: Array<{ href: string; text: string }>, max: number): CollectedItem[] {
  const seen = new Set<string>();
  const items: CollectedItem[] = [];
  for (const link of links) {
    const canonicalUrl = link.href ? canonicalizeUrl(link.href) : null;
    if (!canonicalUrl || seen.has(canonicalUrl)) continue;
    if (items.length >= max) break;
    seen.add(canonicalUrl);
    items.push({
      url: link.href,
      canonicalUrl,
      title: link.text || null,
      summary: null,
      author: null,
      publishedAt: null,
    });
  }
  return items;
}

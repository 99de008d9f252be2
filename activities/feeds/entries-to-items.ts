import type { CollectedItem } from '../../schemas/stream-run.js';
import { canonicalizeUrl } from '../canonical-url.js';
import type { ParsedFeed } from './parse-feed.js';

/** Longest summary kept with an item; full texts come from article tasks, not feeds. */
export const MAX_SUMMARY_LENGTH = 2000;

/**
 * Turns feed entries into items: links resolved against the feed's address, entries without a usable
 * link dropped, dates normalised to ISO 8601, repeats inside one feed collapsed.
 */
export function entriesToItems(feed: ParsedFeed, feedUrl: string): CollectedItem[] {
  const seen = new Set<string>();
  const items: CollectedItem[] = [];
  for (const entry of feed.entries) {
    if (!entry.link) continue;
    const url = absoluteUrl(entry.link, feed.siteLink, feedUrl);
    const canonicalUrl = url && canonicalizeUrl(url);
    if (!url || !canonicalUrl || seen.has(canonicalUrl)) continue;
    seen.add(canonicalUrl);
    items.push({
      url,
      canonicalUrl,
      title: cleanText(entry.title, 1000),
      summary: cleanText(entry.summary, MAX_SUMMARY_LENGTH),
      author: cleanText(entry.author, 255),
      publishedAt: toIsoDate(entry.published),
    });
  }
  return items;
}

function absoluteUrl(link: string, siteLink: string | null, feedUrl: string): string | null {
  const base = siteLink && canonicalizeUrl(siteLink, feedUrl) ? new URL(siteLink, feedUrl).toString() : feedUrl;
  try {
    const url = new URL(link.trim(), base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString() : null;
  } catch {
    return null;
  }
}

function cleanText(value: string | null, maxLength: number): string | null {
  if (!value) return null;
  const text = value.replace(/\s+/g, ' ').trim();
  if (!text) return null;
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
}

function toIsoDate(value: string | null): string | null {
  if (!value) return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

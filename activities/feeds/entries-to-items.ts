import type { CollectedItem } from '../../schemas/stream-run.js';
import { canonicalizeUrl } from '../canonical-url.js';
import { htmlToText } from './html-to-text.js';
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
  const text = htmlToText(value);
  if (!text) return null;
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
}

// The date forms feeds use: ISO 8601 / RFC 3339 (Atom, JSON Feed, dc:date) and RFC 822 (RSS).
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?)?$/i;
const RFC822_DATE = /^(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{2,4}\s+\d{1,2}:\d{2}(?::\d{2})?\s*(?:[A-Z]{1,5}|[+-]\d{4})?$/;

/**
 * A feed's date as ISO 8601, or null when it is not a date: Date.parse alone would read "Episode 12"
 * as December 2001. A time without a zone is taken as UTC, so the result does not depend on the
 * server's time zone.
 */
export function toIsoDate(value: string | null): string | null {
  const text = value?.trim();
  if (!text) return null;
  let parsable: string;
  const iso = ISO_DATE.exec(text);
  if (iso) {
    const [, time, zone] = iso;
    parsable = time && !zone ? `${text.replace(' ', 'T')}Z` : text.replace(' ', 'T');
  } else if (RFC822_DATE.test(text)) {
    parsable = text;
  } else {
    return null;
  }
  const ms = Date.parse(parsable);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

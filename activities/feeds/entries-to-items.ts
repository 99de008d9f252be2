import type { CollectedItem } from '../../schemas/stream-run.js';
import { MAX_AUTHOR_LENGTH, MAX_SUMMARY_LENGTH, MAX_TITLE_LENGTH } from '../../schemas/text-limits.js';
import { toItemUrl, type SkippedUrls } from '../canonical-url.js';
import { toUtcTimestamp } from '../text/utc-timestamp.js';
import { htmlToText } from './html-to-text.js';
import type { ParsedFeed } from './parse-feed.js';

/** Longest summary kept with an item; full texts come from article tasks, not feeds. */
export { MAX_SUMMARY_LENGTH };

/**
 * Turns feed entries into items: links resolved against the feed's address, dates normalised to ISO
 * 8601, repeats inside one feed collapsed. Entries without a link are dropped; an entry whose link is
 * no http(s) URL (or longer than 8 KB) is dropped and noted in `skipped`, for the run's warning.
 */
export function entriesToItems(feed: ParsedFeed, feedUrl: string, skipped?: SkippedUrls): CollectedItem[] {
  const seen = new Set<string>();
  const items: CollectedItem[] = [];
  const site = feed.siteLink ? toItemUrl(feed.siteLink, feedUrl) : undefined;
  const base = site?.ok ? site.url : feedUrl;
  for (const entry of feed.entries) {
    if (!entry.link) continue;
    const found = toItemUrl(entry.link, base);
    if (!found.ok) {
      skipped?.note(entry.link, found.reason);
      continue;
    }
    const { url, canonicalUrl } = found;
    if (seen.has(canonicalUrl)) continue;
    seen.add(canonicalUrl);
    items.push({
      url,
      canonicalUrl,
      title: cleanText(entry.title, MAX_TITLE_LENGTH),
      summary: cleanText(entry.summary, MAX_SUMMARY_LENGTH),
      author: cleanText(entry.author, MAX_AUTHOR_LENGTH),
      publishedAt: toIsoDate(entry.published),
    });
  }
  return items;
}

function cleanText(value: string | null, maxLength: number): string | null {
  if (!value) return null;
  const text = htmlToText(value);
  if (!text) return null;
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
}

// The date forms feeds use: ISO 8601 / RFC 3339 (Atom, JSON Feed, dc:date) and RFC 822 (RSS).
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?)?$/i;
const RFC822_DATE =
  /^(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{2,4}\s+\d{1,2}:\d{2}(?::\d{2})?\s*(?:[A-Z]{1,5}|[+-]\d{4})?$/;

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
  return Number.isNaN(ms) ? null : toUtcTimestamp(ms);
}

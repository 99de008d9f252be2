import type { CollectedItem } from '../../schemas/stream-run.js';
import { canonicalizeUrl } from '../canonical-url.js';
import { MAX_SUMMARY_LENGTH } from '../feeds/entries-to-items.js';

/** A result as an engine's page or API gives it, its texts already plain. */
export interface FoundResult {
  url: string | null;
  title: string | null;
  summary: string | null;
  author?: string | null;
  publishedAt?: string | null;
}

/** A result as an item, or null when it has no http(s) address to store it under. */
export function searchItem(result: FoundResult): CollectedItem | null {
  const canonicalUrl = result.url ? canonicalizeUrl(result.url) : null;
  if (!result.url || !canonicalUrl) return null;
  return {
    url: result.url,
    canonicalUrl,
    title: clip(result.title, 1000),
    summary: clip(result.summary, MAX_SUMMARY_LENGTH),
    author: clip(result.author ?? null, 255),
    publishedAt: result.publishedAt ?? null,
  };
}

/** DOM text as one line: result pages indent and wrap their markup freely. */
export function collapseText(text: string | null | undefined): string | null {
  const collapsed = (text ?? '').replace(/\s+/g, ' ').trim();
  return collapsed || null;
}

function clip(text: string | null, maxLength: number): string | null {
  const value = collapseText(text);
  if (!value) return null;
  return value.length > maxLength ? `${value.slice(0, maxLength - 1)}…` : value;
}

/**
 * Engines bold the query's words in titles and snippets. htmlToText already joins inline tags without a
 * space ("<b>dredging</b>," reads "dredging,"); dropping them first keeps that true for any markup around.
 */
export function withoutHighlights(html: string): string {
  return html.replace(/<\/?(?:b|strong|em)\b[^>]*>/gi, '');
}

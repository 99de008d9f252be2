import { normaliseLanguageTag } from '../../schemas/text-limits.js';

/** Longer than any one language tag with a little white space: anything more is a list or junk. */
const MAX_HEADER_CHARS = 64;

/**
 * The language an HTTP response's Content-Language header gives its page, for a page that says
 * nothing itself (no <html lang>, JSON-LD inLanguage or og:locale): one tag, normalised as the page's
 * own would be (`en_us` → `en-US`). A header naming several languages ("de, en": the audience, not
 * this text) or holding junk gives null.
 */
export function contentLanguageTag(header: string | null | undefined): string | null {
  if (!header || header.length > MAX_HEADER_CHARS) return null;
  const tags = header
    .split(',')
    .map((tag) => tag.trim())
    .filter(Boolean);
  if (tags.length !== 1) return null;
  const [tag] = tags;
  // normaliseLanguageTag keeps the first word of "en foo"; a header of two words is not one tag.
  return /\s/.test(tag!) ? null : normaliseLanguageTag(tag);
}

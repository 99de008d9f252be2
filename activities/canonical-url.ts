import { MAX_URL_LENGTH, stripInvalidCharacters } from '../schemas/text-limits.js';

/** Query parameters that only track a click; two URLs differing only in these are the same article. */
const TRACKING_PARAMETER = /^(utm_[a-z]+|fbclid|gclid|yclid|mc_cid|mc_eid|_ga|igshid)$/i;

/** Why a found address cannot be an item's: stored items are http(s) pages of bounded length. */
export type UrlRejection = 'not-http' | 'too-long';

/** A found address as an item stores it, or why it cannot be one. */
export type ItemUrl = { ok: true; url: string; canonicalUrl: string } | { ok: false; reason: UrlRejection };

/**
 * A link found in a document (sitemap, feed, page), resolved against `base`, as an item's address:
 * `url` is the absolute address as written, `canonicalUrl` the form used to de-duplicate. Anything but
 * an absolute http(s) URL (`javascript:`, `data:`, `mailto:`, a broken address) is refused, and so is
 * an address longer than MAX_URL_LENGTH, so no item carries a link a reader could not follow or one
 * sized to fill the database.
 */
export function toItemUrl(raw: string, base?: string): ItemUrl {
  let url: URL;
  const trimmed = raw.trim();
  try {
    // An absolute http(s) link ignores its base: not passing it spares parsing the base again for each
    // of a feed's thousand links. ("http:x" without the slashes is relative to an http base, so only the
    // full prefixes are taken as absolute.)
    url = isAbsoluteHttp(trimmed) ? new URL(trimmed) : new URL(trimmed, base);
  } catch {
    return { ok: false, reason: 'not-http' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, reason: 'not-http' };
  const absolute = url.href;
  if (absolute.length > MAX_URL_LENGTH) return { ok: false, reason: 'too-long' };
  return { ok: true, url: absolute, canonicalUrl: canonicalForm(url, absolute) };
}

function isAbsoluteHttp(link: string): boolean {
  return link.startsWith('https://') || link.startsWith('http://');
}

/**
 * The form of a URL used to de-duplicate items: lower-case scheme and host, no default port, no
 * fragment, no tracking parameters. Path and the remaining query are kept exactly as written (their
 * order, encoding and bare flags can matter to the site), so removing a tracking parameter changes
 * nothing else. Returns null for anything that is not an absolute http(s) URL of at most
 * MAX_URL_LENGTH characters; every item builder goes through here, so each one skips such links.
 */
export function canonicalizeUrl(raw: string, base?: string): string | null {
  const found = toItemUrl(raw, base);
  return found.ok ? found.canonicalUrl : null;
}

function canonicalForm(url: URL, serialized: string): string {
  // No query and no fragment: nothing to drop, and the serialised URL is already canonical. Most links
  // are like this, and each setter below re-serialises the whole URL (a third of a 1,000-item feed's
  // time outside the parser went there).
  if (!serialized.includes('?') && !serialized.includes('#')) return serialized;
  url.hash = '';
  const query = url.search.slice(1);
  // URL already lower-cases the host and drops default ports; the query is filtered piece by piece.
  const kept = query
    .split('&')
    .filter((pair) => pair !== '' && !TRACKING_PARAMETER.test(safeDecode(pair.split('=')[0] ?? '')));
  url.search = '';
  const withoutQuery = url.toString();
  return kept.length > 0 ? `${withoutQuery}?${kept.join('&')}` : withoutQuery;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

const REJECTION_WORDING: Record<UrlRejection, string> = {
  'not-http': 'is not an http(s) address',
  'too-long': `is longer than ${MAX_URL_LENGTH / 1024} KB`,
};

/** How much of a refused address a warning quotes: enough to find it in the document. */
const QUOTED_LENGTH = 80;

/**
 * Counts the links a run skipped, by reason, keeping the first of each, so a document with one bad
 * `<loc>` among thousands of good ones completes and says so in one warning per reason instead of
 * failing (or flooding the run with a warning per link).
 */
export class SkippedUrls {
  private readonly byReason = new Map<UrlRejection, { count: number; first: string }>();

  note(raw: string, reason: UrlRejection): void {
    const seen = this.byReason.get(reason);
    if (seen) seen.count += 1;
    else this.byReason.set(reason, { count: 1, first: raw });
  }

  get count(): number {
    let total = 0;
    for (const { count } of this.byReason.values()) total += count;
    return total;
  }

  /** One line per reason, e.g. `skipped 3 entries whose URL is not an http(s) address: first «javascript:…»`. */
  warnings(what = 'entries'): string[] {
    return [...this.byReason].map(
      ([reason, { count, first }]) =>
        `skipped ${count} ${count === 1 ? singular(what) : what} whose URL ${REJECTION_WORDING[reason]}: first «${quote(first)}»`,
    );
  }
}

function singular(what: string): string {
  return what.endsWith('ies') ? `${what.slice(0, -3)}y` : what.replace(/s$/, '');
}

function quote(raw: string): string {
  const characters = [...stripInvalidCharacters(raw.trim()).replace(/\s+/g, ' ')];
  return characters.length > QUOTED_LENGTH
    ? `${characters.slice(0, QUOTED_LENGTH - 1).join('')}…`
    : characters.join('');
}

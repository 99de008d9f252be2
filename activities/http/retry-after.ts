/** Longest Retry-After we honour; a server asking for more gets the run's normal backoff ceiling instead. */
export const MAX_RETRY_AFTER_MS = 10 * 60 * 1000;

// RFC 9110 HTTP-date (IMF-fixdate, e.g. "Wed, 21 Oct 2015 07:28:00 GMT"); Date.parse alone would take
// "1.5" or "Item 5" for dates and turn them into an immediate retry.
const HTTP_DATE = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/**
 * Reads an HTTP Retry-After header (delta-seconds or an HTTP date) as milliseconds from `now`.
 * Returns undefined when the header is absent, unreadable or asks for longer than we are willing to wait.
 */
export function parseRetryAfter(header: string | null, now: number = Date.now()): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  let delayMs: number;
  if (/^\d+$/.test(trimmed)) {
    delayMs = Number(trimmed) * 1000;
  } else if (HTTP_DATE.test(trimmed)) {
    const at = Date.parse(trimmed);
    if (Number.isNaN(at)) return undefined;
    delayMs = Math.max(0, at - now);
  } else {
    return undefined;
  }
  return delayMs <= MAX_RETRY_AFTER_MS ? delayMs : undefined;
}

/** Query parameters that only track a click; two URLs differing only in these are the same article. */
const TRACKING_PARAMETER = /^(utm_[a-z]+|fbclid|gclid|yclid|mc_cid|mc_eid|_ga|igshid)$/i;

/**
 * The form of a URL used to de-duplicate items: lower-case scheme and host, no default port, no
 * fragment, no tracking parameters. Path and the remaining query are kept exactly as written (their
 * order, encoding and bare flags can matter to the site), so removing a tracking parameter changes
 * nothing else. Returns null for anything that is not an absolute http(s) URL.
 */
export function canonicalizeUrl(raw: string, base?: string): string | null {
  let url: URL;
  try {
    url = new URL(raw.trim(), base);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
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

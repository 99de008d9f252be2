/** Query parameters that only track a click; two URLs differing only in these are the same article. */
const TRACKING_PARAMETER = /^(utm_[a-z]+|fbclid|gclid|yclid|mc_cid|mc_eid|_ga|igshid)$/i;

/**
 * The form of a URL used to de-duplicate items: lower-case scheme and host, no default port, no
 * fragment, no tracking parameters. Path and the remaining query are kept as they are: they can matter.
 * Returns null for anything that is not an absolute http(s) URL.
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
  for (const name of [...url.searchParams.keys()]) {
    if (TRACKING_PARAMETER.test(name)) url.searchParams.delete(name);
  }
  // URL already lower-cases the host and drops default ports; an emptied query leaves a bare "?".
  return url.toString().replace(/\?$/, '');
}

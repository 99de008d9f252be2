/** How an engine wraps its result links: a click-tracking path whose query carries the target. */
export interface RedirectForm {
  path: RegExp;
  /** Parameters that may hold the target, in order of preference. */
  params: readonly string[];
}

/**
 * The address a result link leads to: the target carried by an engine's click-tracking redirect, or
 * the link itself, resolved against the page, when it is not one. Items must be stored under the
 * publisher's URL, or the same article found twice through two redirects would not de-duplicate.
 * Null when neither is an absolute http(s) URL.
 */
export function unwrapRedirect(href: string, pageUrl: string, form: RedirectForm): string | null {
  const link = toHttpUrl(href.trim(), pageUrl);
  if (!link) return null;
  if (!form.path.test(link.pathname)) return link.toString();
  for (const param of form.params) {
    const target = link.searchParams.get(param);
    const url = target ? toHttpUrl(target) : null;
    if (url) return url.toString();
  }
  return link.toString();
}

function toHttpUrl(raw: string, base?: string): URL | null {
  try {
    const url = new URL(raw, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}

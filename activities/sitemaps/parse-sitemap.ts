import { XMLParser } from 'fast-xml-parser';

export interface SitemapEntry {
  loc: string;
  lastmod: string | null;
  /** From a Google News sitemap's news:news element, when present. */
  newsTitle: string | null;
  newsPublishedAt: string | null;
}

export type ParsedSitemap =
  | { kind: 'urlset'; entries: SitemapEntry[] }
  | { kind: 'index'; sitemaps: Array<{ loc: string; lastmod: string | null }> };

/** Thrown when the body is XML of some other kind, or not XML at all. */
export class NotASitemapError extends Error {
  override readonly name = 'NotASitemapError';
}

// Namespace prefixes vary between sites (news:, n:, none); dropping them reads them all alike.
const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
  processEntities: true,
  isArray: (name) => name === 'url' || name === 'sitemap',
});

type Node = Record<string, unknown>;

const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() ? value.trim() : null);

export function parseSitemapDocument(xml: string): ParsedSitemap {
  let document: Node;
  try {
    document = parser.parse(xml, true) as Node;
  } catch (error) {
    throw new NotASitemapError(
      `not well-formed XML (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`,
    );
  }
  const urlset = document.urlset as Node | '' | undefined;
  const index = document.sitemapindex as Node | '' | undefined;
  if (urlset !== undefined) {
    const urls = urlset === '' ? [] : ((urlset.url as Node[] | undefined) ?? []);
    return {
      kind: 'urlset',
      entries: urls.flatMap((url) => {
        const loc = text(url.loc);
        if (!loc) return [];
        const news = (url.news ?? {}) as Node;
        return [
          {
            loc,
            lastmod: text(url.lastmod),
            newsTitle: text(news.title),
            newsPublishedAt: text(news.publication_date),
          },
        ];
      }),
    };
  }
  if (index !== undefined) {
    const sitemaps = index === '' ? [] : ((index.sitemap as Node[] | undefined) ?? []);
    return {
      kind: 'index',
      sitemaps: sitemaps.flatMap((sitemap) => {
        const loc = text(sitemap.loc);
        return loc ? [{ loc, lastmod: text(sitemap.lastmod) }] : [];
      }),
    };
  }
  throw new NotASitemapError('the document is neither a <urlset> nor a <sitemapindex>');
}

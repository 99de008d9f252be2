import { XMLParser } from 'fast-xml-parser';
import { checkXmlBalance } from '../text/xml-tag-balance.js';

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

/** fast-xml-parser's own default nesting limit; a sitemap needs four levels. */
const MAX_SITEMAP_DEPTH = 100;

// Namespace prefixes vary between sites (news:, n:, none); dropping them reads them all alike.
// jPath false: callbacks get the element name without the path joined into a string for every tag,
// which was a fifth of the parse.
const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
  processEntities: true,
  jPath: false,
  maxNestedTags: MAX_SITEMAP_DEPTH,
  isArray: (name) => name === 'url' || name === 'sitemap',
});

type Node = Record<string, unknown>;

const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() ? value.trim() : null);

/**
 * A sitemap or sitemap index. Broken XML is refused: the tags are checked to balance in one linear pass
 * (xml-tag-balance) rather than by fast-xml-parser's validator, which took as long as the parse itself;
 * the parser then reads the document, and fails on what else it cannot read.
 */
export function parseSitemapDocument(xml: string): ParsedSitemap {
  const balance = checkXmlBalance(xml, { maxDepth: MAX_SITEMAP_DEPTH });
  if (balance.tooDeep) throw new NotASitemapError(`not well-formed XML (nested deeper than ${MAX_SITEMAP_DEPTH})`);
  if (balance.flaws.length > 0) throw new NotASitemapError(`not well-formed XML (${balance.flaws.join(', ')})`);
  let document: Node;
  try {
    document = parser.parse(xml) as Node;
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

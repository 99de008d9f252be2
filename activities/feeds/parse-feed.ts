import { parseFeed, type AnyFeed } from 'feedsmith';
import { repairXml, type XmlFlaw } from '../text/xml-tag-balance.js';
import { readPlainRss } from './plain-rss.js';

/** One entry of a feed, whatever its format, with links still as written in the feed. */
export interface FeedEntry {
  link: string | null;
  title: string | null;
  summary: string | null;
  author: string | null;
  published: string | null;
  /** RSS `<source>`: the publication an aggregator (Google News) took the entry from. */
  source?: string | null;
}

export interface ParsedFeed {
  format: 'rss' | 'atom' | 'rdf' | 'json';
  /** The feed's own site link, used to resolve relative entry links. */
  siteLink: string | null;
  entries: FeedEntry[];
  /**
   * What was mended before the feed could be read (cut off, stray end tags, a prefixed root): empty for a
   * feed read as served. Like feedparser's "bozo", the feed is read anyway and the run says so.
   */
  repairs: XmlFlaw[];
}

/** Root elements worth mending: a feed's. Anything else (an HTML page) is not a feed, repaired or not. */
const FEED_ROOTS = new Set(['rss', 'feed', 'RDF']);
/** fast-xml-parser's own nesting limit under feedsmith; a deeper document is refused before repair. */
const MAX_FEED_DEPTH = 100;

/** Thrown when the body is not a feed at all, or a feed too broken to read. */
export class NotAFeedError extends Error {
  override readonly name = 'NotAFeedError';
}

/**
 * The feed in `body`, whatever its format. Plain RSS 2.0 is read by the lean path (plain-rss.ts), which
 * gives what feedsmith gives at a fraction of its cost; everything it does not take goes to feedsmith.
 */
export function parseFeedDocument(body: string): ParsedFeed {
  return readPlainRss(body) ?? parseWithFeedsmith(body);
}

/**
 * The feed in `body` as feedsmith reads it, whatever its format. A feed the strict reading refuses is
 * mended once (see repairXml: a cut-off tail dropped and its open elements closed, stray end tags
 * removed, the root's namespace prefix dropped) and read again, so feeds feedparser reads are not lost
 * to a missing `</rss>`.
 */
export function parseWithFeedsmith(body: string): ParsedFeed {
  try {
    return toParsedFeed(parseFeed<string>(body), []);
  } catch (error) {
    const repaired = repairXml(body, { maxDepth: MAX_FEED_DEPTH, dropRootPrefix: true });
    if (!repaired.tooDeep && repaired.flaws.length > 0 && repaired.root !== null && FEED_ROOTS.has(repaired.root)) {
      try {
        return toParsedFeed(parseFeed<string>(repaired.xml), repaired.flaws);
      } catch {
        // Mended and still no feed: the first refusal says why.
      }
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new NotAFeedError(`the response is not an RSS, Atom, RDF or JSON feed (${reason})`);
  }
}

function toParsedFeed(parsed: AnyFeed<string>, repairs: XmlFlaw[]): ParsedFeed {
  switch (parsed.format) {
    case 'rss':
      return {
        format: 'rss',
        repairs,
        siteLink: parsed.feed.link ?? null,
        entries: (parsed.feed.items ?? []).map((item) => ({
          link: item.link ?? (item.guid?.isPermaLink !== false ? (item.guid?.value ?? null) : null),
          title: item.title ?? null,
          summary: item.description ?? null,
          author: item.authors?.[0]?.name ?? item.dc?.creators?.[0] ?? null,
          published: item.pubDate ?? item.dc?.dates?.[0] ?? null,
          source: item.source?.title ?? null,
        })),
      };
    case 'atom':
      return {
        format: 'atom',
        repairs,
        siteLink: pickAtomLink(parsed.feed.links),
        entries: (parsed.feed.entries ?? []).map((entry) => ({
          link: pickAtomLink(entry.links),
          title: textOf(entry.title),
          summary: textOf(entry.summary) ?? textOf(entry.content),
          author: entry.authors?.[0]?.name ?? null,
          published: entry.published ?? entry.updated ?? null,
        })),
      };
    case 'rdf':
      return {
        format: 'rdf',
        repairs,
        siteLink: parsed.feed.link ?? null,
        entries: (parsed.feed.items ?? []).map((item) => ({
          link: item.link ?? null,
          title: item.title ?? null,
          summary: item.description ?? null,
          author: item.dc?.creators?.[0] ?? null,
          published: item.dc?.dates?.[0] ?? null,
        })),
      };
    case 'json':
      return {
        format: 'json',
        repairs,
        siteLink: parsed.feed.home_page_url ?? null,
        entries: (parsed.feed.items ?? []).map((item) => ({
          link: item.url ?? item.external_url ?? null,
          title: item.title ?? null,
          summary: item.summary ?? item.content_text ?? null,
          author: item.authors?.[0]?.name ?? null,
          published: item.date_published ?? item.date_modified ?? null,
        })),
      };
  }
}

function pickAtomLink(links: Array<{ href?: string; rel?: string }> | undefined): string | null {
  if (!links?.length) return null;
  const alternate = links.find((link) => !link.rel || link.rel === 'alternate');
  return (alternate ?? links[0])?.href ?? null;
}

function textOf(text: { value?: string } | string | undefined): string | null {
  if (text === undefined) return null;
  return typeof text === 'string' ? text : (text.value ?? null);
}

import { XMLParser } from 'fast-xml-parser';
import { readFeedText } from './feed-text.js';
import type { FeedEntry, ParsedFeed } from './parse-feed.js';
import { isPlainRss } from './plain-rss-gate.js';
import { readXmlChildren, type XmlChild } from './xml-children.js';

/**
 * The lean path for plain RSS 2.0: the entries feedsmith would give, field for field, at a fraction of
 * its cost, or null, and the caller asks feedsmith. feedsmith's parser walks every element of every
 * item (about 3 µs a tag) and then reads ~30 namespaces per item; this one lets fast-xml-parser walk
 * only the envelope, takes each child of the channel (items included) as raw text, and reads the few
 * elements of an item the activity uses (xml-children.ts) with feedsmith's own text rules
 * (feed-text.ts). Whatever it would have to guess at, it refuses: a document isPlainRss turns away,
 * an item it cannot read plainly, an item from which it reads nothing (feedsmith keeps or drops
 * those by fields this path does not read), an `<author>` with markup or with what feedsmith would
 * read as an address or a link, a `<guid>` whose attributes are not plain.
 */
export function readPlainRss(body: string): ParsedFeed | null {
  if (!isPlainRss(body)) return null;
  let document: unknown;
  try {
    document = envelopeParser.parse(body);
  } catch {
    return null;
  }
  const rss = firstOf(isObject(document) ? document.rss : undefined);
  const channel = firstOf(isObject(rss) ? rss.channel : undefined);
  if (!isObject(channel)) return null;
  const link = firstOf(channel.link);
  const items = channel.item === undefined ? [] : Array.isArray(channel.item) ? channel.item : [channel.item];
  // No items: feedsmith then looks for them under the root, as RSS 0.9x allowed. Small; let it.
  if (items.length === 0 || (link !== undefined && typeof link !== 'string')) return null;
  const entries: FeedEntry[] = [];
  for (const item of items) {
    const entry = typeof item === 'string' ? readItem(item) : null;
    if (entry === null) return null;
    entries.push(entry);
  }
  return { format: 'rss', repairs: [], siteLink: link === undefined ? null : readFeedText(link), entries };
}

/**
 * fast-xml-parser for the envelope only: names lower-cased as feedsmith does, every child of the
 * channel a stop node (its content kept as written), no attributes, entities and values untouched.
 */
const envelopeParser = new XMLParser({
  ignoreAttributes: true,
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  jPath: false,
  transformTagName: (name) => name.toLowerCase(),
  stopNodes: ['rss.channel.*'],
});

type XmlObject = Record<string, unknown>;

/** feedsmith's "plain object" test: what the parser builds for an element with children. */
function isObject(value: unknown): value is XmlObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && value.constructor === Object;
}

function firstOf(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value;
}

/** One `<item>`'s raw content as feedsmith's RSS entry; null to refuse. */
function readItem(content: string): FeedEntry | null {
  const children = readXmlChildren(content);
  if (children === null) return null;
  const first = new Map<string, XmlChild>();
  const authors: XmlChild[] = [];
  const creators: XmlChild[] = [];
  const dates: XmlChild[] = [];
  for (const child of children) {
    const name = child.name.toLowerCase();
    if (name === 'author') authors.push(child);
    else if (name === 'dc:creator') creators.push(child);
    else if (name === 'dc:date') dates.push(child);
    else if (!first.has(name)) first.set(name, child);
  }
  const textOf = (name: string) => {
    const child = first.get(name);
    return child ? readFeedText(child.content) : null;
  };
  const guid = first.get('guid');
  const isPermaLink = guid ? readIsPermaLink(guid.attributes) : undefined;
  const authorName = readAuthorName(authors);
  if (isPermaLink === null || authorName === false) return null;
  const guidValue = guid ? readFeedText(guid.content) : null;
  const entry: FeedEntry = {
    link: textOf('link') ?? (isPermaLink !== false ? guidValue : null),
    title: textOf('title'),
    summary: textOf('description'),
    author: authorName ?? firstText(creators),
    published: textOf('pubdate') ?? firstText(dates),
    source: textOf('source'),
  };
  // feedsmith keeps or drops an item with none of these by fields this path does not read.
  const readSomething =
    guidValue !== null || isPermaLink !== undefined || Object.values(entry).some((value) => value !== null);
  return readSomething ? entry : null;
}

function firstText(children: XmlChild[]): string | null {
  for (const child of children) {
    const text = readFeedText(child.content);
    if (text !== null) return text;
  }
  return null;
}

/**
 * The name of the first `<author>` with text; false to refuse. feedsmith reads `<author>` as markup,
 * not raw text, and splits a person into name, address and link: text with markup, or with anything
 * it would take for an address (`@`), a link (`://`, `www.`) or a bracketed part, is left to it.
 */
function readAuthorName(authors: XmlChild[]): string | null | false {
  for (const author of authors) {
    if (author.content.includes('<')) return false;
    const text = readFeedText(author.content);
    if (text === null) continue;
    return PERSON_PARTS.test(text) ? false : text;
  }
  return null;
}

const PERSON_PARTS = /[@<[(]|:\/\/|www\./;
/** One `name="value"` attribute (or single-quoted), with the space before it. */
const ATTRIBUTE = /\s*([^\s=/>"']+)\s*=\s*(?:"([^"]*)"|'([^']*)')/y;
const TRUE = /^\p{White_Space}*true\p{White_Space}*$/iu;
const FALSE = /^\p{White_Space}*false\p{White_Space}*$/iu;

/** `<guid isPermaLink>` read as feedsmith does (any case of name and value); undefined when absent, null to refuse. */
function readIsPermaLink(attributes: string): boolean | undefined | null {
  let value: string | undefined;
  let at = 0;
  ATTRIBUTE.lastIndex = 0;
  for (let match = ATTRIBUTE.exec(attributes); match; match = ATTRIBUTE.exec(attributes)) {
    at = ATTRIBUTE.lastIndex;
    if (match[1]!.toLowerCase() !== 'ispermalink') continue;
    if (value !== undefined) return null;
    value = match[2] ?? match[3] ?? '';
  }
  const rest = attributes.slice(at).trim();
  if (rest !== '' && rest !== '/') return null;
  if (value === undefined) return undefined;
  return TRUE.test(value) ? true : FALSE.test(value) ? false : undefined;
}

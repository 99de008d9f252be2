import { MAX_IMAGE_URL_LENGTH, normaliseLanguageTag } from '../../schemas/text-limits.js';
import { toIsoDate } from '../feeds/entries-to-items.js';
import type { DomDocument, DomElement } from './dom.js';

/** What a page says about its article in structured data (JSON-LD, OpenGraph, meta), before any text is read. */
export interface PageMetadata {
  title: string | null;
  author: string | null;
  publishedAt: string | null;
  /** The lead image (og:image, twitter:image, JSON-LD image, else the article's first large picture), resolved against the page; http(s) only. */
  image: string | null;
  /** BCP 47 language tag (`en`, `pt-BR`). */
  language: string | null;
  /** schema.org articleBody, whitespace normalised; may be a teaser, so the caller checks it is whole. */
  articleBody: string | null;
}

// schema.org types whose articleBody is the article (NewsArticle's subtypes included).
const ARTICLE_TYPE =
  /^(Article|NewsArticle|BlogPosting|Report|ReportageNews|AnalysisNewsArticle|OpinionNewsArticle|ReviewNewsArticle|BackgroundNewsArticle|LiveBlogPosting|TechArticle|ScholarlyArticle|SocialMediaPosting|WebPage)$/;
const MAX_JSON_LD_CHARS = 2_000_000;
const MAX_JSON_LD_VALUES = 10_000;
/** A picture at least this wide (as the page declares it) is a lead picture, not an icon, a logo or a thumbnail. */
const LEAD_PICTURE_MIN_WIDTH = 400;
/** Pictures looked at for a lead one: the first few of the article, not a gallery further down. */
const LEAD_PICTURE_CANDIDATES = 20;

type Json = unknown;

const text = (value: Json): string | null => {
  if (typeof value !== 'string') return null;
  const collapsed = value.replace(/\s+/g, ' ').trim();
  return collapsed || null;
};

/** Every object in the JSON-LD blocks, @graph members included, breadth first. */
function jsonLdObjects(document: DomDocument): Record<string, Json>[] {
  const found: Record<string, Json>[] = [];
  for (const script of document.querySelectorAll('script[type="application/ld+json"]')) {
    const source = script.textContent ?? '';
    if (source.length > MAX_JSON_LD_CHARS) continue;
    let parsed: Json;
    try {
      parsed = JSON.parse(source);
    } catch {
      continue; // A broken block is common (trailing commas, HTML comments): the other sources remain.
    }
    // Visited in order with a cursor and a cap: a hostile block may hold a million-element array.
    const queue: Json[] = [parsed];
    for (let at = 0; at < queue.length && at < MAX_JSON_LD_VALUES && found.length < 200; at += 1) {
      const value = queue[at];
      if (Array.isArray(value)) queue.push(...(value as Json[]).slice(0, MAX_JSON_LD_VALUES));
      else if (value && typeof value === 'object') {
        const object = value as Record<string, Json>;
        found.push(object);
        if (object['@graph']) queue.push(object['@graph']);
      }
    }
  }
  return found;
}

const types = (object: Record<string, Json>): string[] =>
  ([] as Json[]).concat(object['@type'] ?? []).filter((type): type is string => typeof type === 'string');

/** The article object: one of the article types, preferring one that has a body, then a headline. */
function articleObject(objects: Record<string, Json>[]): Record<string, Json> | null {
  const articles = objects.filter((object) => types(object).some((type) => ARTICLE_TYPE.test(type)));
  return (
    articles.find((object) => typeof object.articleBody === 'string') ??
    articles.find((object) => typeof object.headline === 'string' && !types(object).includes('WebPage')) ??
    null
  );
}

/** Text with its paragraphs kept: lines collapsed, blank-line separated. */
function paragraphs(value: Json): string | null {
  if (typeof value !== 'string') return null;
  const lines = value
    .split(/\s*\n\s*/)
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
  return lines.length > 0 ? lines.join('\n\n') : null;
}

function names(value: Json): string | null {
  const list = ([] as Json[]).concat(value ?? []);
  const found = list
    .map((entry) => text(typeof entry === 'object' && entry ? (entry as Record<string, Json>).name : entry))
    .filter((name): name is string => name !== null && !/^https?:\/\//.test(name));
  return found.length > 0 ? [...new Set(found)].join(', ') : null;
}

function imageUrl(value: Json): string | null {
  const first = ([] as Json[]).concat(value ?? [])[0];
  if (typeof first === 'string') return first;
  if (first && typeof first === 'object') return text((first as Record<string, Json>).url);
  return null;
}

/** The width a picture declares, in its `width` attribute or inline style (`width: 600px`); null when unsaid. */
function declaredWidth(image: DomElement): number | null {
  const attribute = /^\s*(\d+)\s*(?:px)?\s*$/i.exec(image.getAttribute('width') ?? '');
  if (attribute) return Number(attribute[1]);
  const style = /(?:^|[;\s])width\s*:\s*(\d+)px/i.exec(image.getAttribute('style') ?? '');
  return style ? Number(style[1]) : null;
}

/**
 * The first large picture of the article (inside <article> or <main> when the page has one, else the
 * body), for pages that name no image in their metadata: one whose declared width is at least
 * LEAD_PICTURE_MIN_WIDTH. Pictures without a declared size are passed over: on such pages they are as
 * often banners and logos as photos.
 */
function leadPicture(document: DomDocument): string | null {
  const scope = document.querySelector('article') ?? document.querySelector('main') ?? document.body;
  if (!scope) return null;
  let looked = 0;
  for (const image of scope.querySelectorAll('img')) {
    if ((looked += 1) > LEAD_PICTURE_CANDIDATES) break;
    const source = image.getAttribute('src')?.trim();
    if (!source || source.startsWith('data:')) continue;
    if ((declaredWidth(image) ?? 0) >= LEAD_PICTURE_MIN_WIDTH) return source;
  }
  return null;
}
/**
 * Reads the article's metadata from JSON-LD first (the publisher's own record of the article), then
 * OpenGraph and the other meta tags. Read before Readability runs: it rewrites the document.
 */
export function readPageMetadata(document: DomDocument, pageUrl: string): PageMetadata {
  const meta = (selector: string) => text(document.querySelector(selector)?.getAttribute('content'));
  const article = articleObject(jsonLdObjects(document));
  const resolve = (href: string | null) => {
    if (!href) return null;
    try {
      const url = new URL(href, pageUrl);
      const resolved = url.toString();
      return (url.protocol === 'http:' || url.protocol === 'https:') && resolved.length <= MAX_IMAGE_URL_LENGTH
        ? resolved
        : null;
    } catch {
      return null;
    }
  };
  const metaAuthor = meta('meta[name="author"]') ?? meta('meta[property="article:author"]');
  return {
    title: meta('meta[property="og:title"]') ?? text(article?.headline) ?? meta('meta[name="twitter:title"]'),
    author: names(article?.author) ?? (metaAuthor && !/^https?:\/\//.test(metaAuthor) ? metaAuthor : null),
    publishedAt:
      toIsoDate(text(article?.datePublished)) ??
      toIsoDate(meta('meta[property="article:published_time"]')) ??
      toIsoDate(meta('meta[itemprop="datePublished"]')) ??
      toIsoDate(meta('meta[name="date"]') ?? meta('meta[name="pubdate"]') ?? meta('meta[name="parsely-pub-date"]')),
    image:
      resolve(
        meta('meta[property="og:image"]') ?? meta('meta[name="twitter:image"]') ?? imageUrl(article?.image ?? null),
      ) ?? resolve(leadPicture(document)),
    language:
      normaliseLanguageTag(document.documentElement?.getAttribute('lang')) ??
      normaliseLanguageTag(text(article?.inLanguage)) ??
      normaliseLanguageTag(
        meta('meta[http-equiv="content-language" i]') ?? meta('meta[http-equiv="Content-Language"]'),
      ) ??
      normaliseLanguageTag(meta('meta[property="og:locale"]')),
    articleBody: paragraphs(article?.articleBody),
  };
}

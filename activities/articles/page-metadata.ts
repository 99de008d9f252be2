import { toIsoDate } from '../feeds/entries-to-items.js';
import type { DomDocument } from './dom.js';

/** What a page says about its article in structured data (JSON-LD, OpenGraph, meta), before any text is read. */
export interface PageMetadata {
  title: string | null;
  author: string | null;
  publishedAt: string | null;
  /** The lead image, resolved against the page; http(s) only. */
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
/** A longer image address is not one a publisher means (data: URLs are refused anyway). */
const MAX_URL_CHARS = 2048;
const LANGUAGE_TAG = /^[a-z]{2,3}(-[a-z0-9]{2,8})*$/i;

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

function language(tag: string | null | undefined): string | null {
  const cleaned = (tag ?? '')
    .trim()
    .split(/[,;\s]/)[0]!
    .replace(/_/g, '-');
  if (!LANGUAGE_TAG.test(cleaned)) return null;
  const [primary, ...rest] = cleaned.split('-');
  return [primary!.toLowerCase(), ...rest.map((part) => (part.length === 2 ? part.toUpperCase() : part))].join('-');
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
      return (url.protocol === 'http:' || url.protocol === 'https:') && resolved.length <= MAX_URL_CHARS
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
    image: resolve(
      meta('meta[property="og:image"]') ?? meta('meta[name="twitter:image"]') ?? imageUrl(article?.image ?? null),
    ),
    language:
      language(document.documentElement?.getAttribute('lang')) ??
      language(text(article?.inLanguage)) ??
      language(meta('meta[http-equiv="content-language" i]') ?? meta('meta[http-equiv="Content-Language"]')) ??
      language(meta('meta[property="og:locale"]')),
    articleBody: paragraphs(article?.articleBody),
  };
}

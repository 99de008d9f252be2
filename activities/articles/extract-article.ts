import type { z } from 'zod';
import type { webArticleConfigSchema } from '../../schemas/tasks/web-article.js';
import { toIsoDate } from '../feeds/entries-to-items.js';
import { cutAtWord } from '../text/cut-at-word.js';
import { MAX_ARTICLE_TEXT, MAX_AUTHOR_LENGTH, MAX_TITLE_LENGTH } from '../text/limits.js';
import type { DomDocument } from './dom.js';
import { parseHtmlDocument } from './light-dom.js';
import { readPageMetadata } from './page-metadata.js';
import { ALL_FEATURES, readArticle, type ReadingFeatures } from './read-article.js';
import type { SiteMemory } from './site-memory.js';

type Selectors = NonNullable<z.output<typeof webArticleConfigSchema>['selectors']>;

/**
 * Readability's work grows faster than the page: on linkedom a 300-deep page takes seconds, 5,000 deep
 * minutes, and 60,000 elements twenty seconds. Real articles sit well inside both limits.
 */
export const MAX_ARTICLE_DEPTH = 200;
export const MAX_ARTICLE_ELEMENTS = 30_000;

export const HTML_ACCEPT = 'text/html, application/xhtml+xml;q=0.9, */*;q=0.5';

/** What one page of an article yields. */
export interface ArticlePage {
  title: string | null;
  author: string | null;
  publishedAt: string | null;
  /** The article's paragraphs, separated by blank lines, white space within them collapsed. */
  text: string;
  /** The lead image (og:image, twitter:image or JSON-LD image), resolved; null when the page names none. */
  image: string | null;
  /** The page's language as a BCP 47 tag (`en`, `pt-BR`), from <html lang>, JSON-LD or meta; null when unsaid. */
  language: string | null;
  /** The page's <link rel="canonical">, resolved; null when it has none. */
  canonicalUrl: string | null;
  /** The next page's URL, resolved, when a next selector is given and matches. */
  nextUrl: string | null;
}

/** Thrown when selectors are given but the page has no headline or body where they point. */
export class ArticleNotFoundError extends Error {
  override readonly name = 'ArticleNotFoundError';
}

const collapse = (text: string | null | undefined) =>
  (text ?? '')
    .replace(/[ \t\f\v\u00a0]+/g, ' ')
    .replace(/\s*\n\s*/g, '\n')
    .trim();

/**
 * The page's own headline: og:title, else the first <h1> when the <title> contains it (titles usually
 * carry the site's name too), else the title Readability chose.
 */
function headline(ogTitle: string, firstH1: string, readabilityTitle: string): string | null {
  if (ogTitle) return ogTitle;
  if (firstH1 && readabilityTitle.includes(firstH1)) return firstH1;
  return readabilityTitle || null;
}

/**
 * Reads an article page: with selectors, exactly where they point (content is every match, joined by
 * paragraphs); without, by the publisher's structured data, Mozilla's Readability with page furniture
 * pruned, and the page's prose paragraphs when Readability finds too little (read-article.ts), on a
 * light DOM (linkedom, not a browser). With a siteMemory, short blocks the same site printed on its
 * other pages are dropped too. `features` exists for the quality bench's ablation.
 */
export function extractArticle(
  html: string,
  pageUrl: string,
  selectors: Selectors | undefined,
  nextSelector: string | undefined,
  features: ReadingFeatures = ALL_FEATURES,
  siteMemory?: SiteMemory,
): ArticlePage {
  const document = parseHtmlDocument(html, { maxDepth: MAX_ARTICLE_DEPTH, maxElements: MAX_ARTICLE_ELEMENTS });
  const resolve = (href: string | null | undefined) => {
    if (!href) return null;
    try {
      return new URL(href, pageUrl).toString();
    } catch {
      return null;
    }
  };
  const canonicalUrl = resolve(document.querySelector('link[rel="canonical"]')?.getAttribute('href'));
  const nextUrl = nextSelector ? resolve(document.querySelector(nextSelector)?.getAttribute('href')) : null;
  const metaPublished =
    document.querySelector('meta[property="article:published_time"]')?.getAttribute('content') ?? null;

  // Read before Readability runs: it rewrites the document it is given.
  const metadata = readPageMetadata(document as unknown as DomDocument, pageUrl);

  if (selectors) {
    const title = collapse(document.querySelector(selectors.title)?.textContent);
    const paragraphs = Array.from(document.querySelectorAll(selectors.content))
      .map((node) => collapse(node.textContent))
      .filter(Boolean);
    if (!title && paragraphs.length === 0)
      throw new ArticleNotFoundError(
        `nothing matches selectors.title (${selectors.title}) or selectors.content (${selectors.content})`,
      );
    const publishedNode = selectors.published ? document.querySelector(selectors.published) : null;
    return capped({
      title: title || null,
      author: selectors.author ? collapse(document.querySelector(selectors.author)?.textContent) || null : null,
      publishedAt: toIsoDate(publishedNode?.getAttribute('datetime') ?? publishedNode?.textContent ?? metaPublished),
      text: paragraphs.join('\n\n'),
      image: metadata.image,
      language: metadata.language,
      canonicalUrl,
      nextUrl,
    });
  }

  const firstH1 = collapse(document.querySelector('h1')?.textContent);
  const reading = readArticle(
    document as unknown as DomDocument,
    metadata.articleBody,
    MAX_ARTICLE_ELEMENTS,
    features,
    {
      site: siteMemory && { memory: siteMemory, pageUrl },
      headlines: [metadata.title ?? '', firstH1].filter(Boolean),
      reparse: () =>
        parseHtmlDocument(html, {
          maxDepth: MAX_ARTICLE_DEPTH,
          maxElements: MAX_ARTICLE_ELEMENTS,
        }) as unknown as DomDocument,
    },
  );
  if (!reading) throw new ArticleNotFoundError('readability found no article on the page; give selectors');
  return capped({
    title: headline(metadata.title ?? '', firstH1, collapse(reading.readabilityTitle)),
    author: metadata.author ?? (collapse(reading.readabilityByline) || null),
    publishedAt: metadata.publishedAt ?? toIsoDate(reading.readabilityPublished || metaPublished),
    text: reading.text,
    image: metadata.image,
    language: metadata.language,
    canonicalUrl,
    nextUrl,
  });
}

function capped(page: ArticlePage): ArticlePage {
  return {
    ...page,
    title: page.title === null ? null : cutAtWord(page.title, MAX_TITLE_LENGTH),
    author: page.author === null ? null : cutAtWord(page.author, MAX_AUTHOR_LENGTH),
    text: page.text.slice(0, MAX_ARTICLE_TEXT),
  };
}

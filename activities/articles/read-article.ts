import { Readability } from '@mozilla/readability';
import { dropFurnitureBlocks, removeFurniture } from './boilerplate.js';
import type { DomDocument, DomElement } from './dom.js';
import { proseParagraphs } from './paragraph-fallback.js';
import type { SiteMemory } from './site-memory.js';
import { blocksToText, normalizeSpace, textBlocks, textWeight } from './text-blocks.js';

/** The parts of article reading, each of which can be turned off to measure what it buys (bench/extract-quality.ts). */
export interface ReadingFeatures {
  /** Take JSON-LD articleBody when it is whole. */
  structuredData: boolean;
  /** Remove page furniture before and after Readability. */
  pruning: boolean;
  /** Read prose paragraphs when Readability finds too little. */
  fallback: boolean;
  /** Drop short blocks repeated on the site's other pages (when a SiteMemory is given). */
  siteRepeats: boolean;
}

export const ALL_FEATURES: ReadingFeatures = { structuredData: true, pruning: true, fallback: true, siteRepeats: true };

export interface ArticleReading {
  text: string;
  /** Readability's idea of the title, for when the page's metadata has none. */
  readabilityTitle: string;
  readabilityByline: string;
  readabilityPublished: string;
  /** Which reader's text was kept. */
  by: 'structured-data' | 'readability' | 'paragraphs';
}

/** Less article text than this (textWeight) from Readability means it found a fragment, or nothing: a teaser, a caption. */
const TOO_LITTLE = 250;
/** Readability's text under this share of the page's paragraph text, after pruning, is suspect. */
const SUSPECT_SHARE = 0.3;
/**
 * articleBody at least this share of what the page shows is the whole article. Publishers that sell
 * subscriptions put the first paragraphs there; what the page shows also holds captions and furniture,
 * so the whole body is usually a bit shorter than it.
 */
const WHOLE_BODY_SHARE = 0.7;

/**
 * The article's text from a parsed page: Readability on the page with its furniture removed, its
 * result cleaned block by block; the page's prose paragraphs when Readability finds too little; and
 * the publisher's JSON-LD articleBody instead of either when it is whole. Rewrites the document.
 */
export function readArticle(
  document: DomDocument,
  articleBody: string | null,
  maxElements: number,
  features: ReadingFeatures,
  options: {
    site?: { memory: SiteMemory; pageUrl: string };
    /** A fresh copy of the page, for reading it again without the pruning when pruning took the article. */
    reparse?: () => DomDocument;
    /** The page's headline as its metadata and <h1> give it: said again at the article's start, it is dropped. */
    headlines?: readonly string[];
  } = {},
): ArticleReading | null {
  const { site, reparse, headlines = [] } = options;
  const body = document.body;
  const paragraphWeightBefore = features.pruning && body ? paragraphWeight(body) : 0;
  if (features.pruning && body) removeFurniture(body);
  // Read before Readability, which rewrites the document it is given.
  const paragraphs = features.fallback && body ? blocksToText(proseParagraphs(body)) : '';
  let article = readability(document, maxElements);
  let text = article ? cleanText(article.content, features, site, headlines) : '';
  // An article container whose class names furniture (`article-body comments-on`) and that holds less
  // than a quarter of a long page's text is removed with the furniture. When what Readability found
  // then is a small part of the page's paragraphs, read the page again without the pruning.
  if (reparse && features.pruning && textWeight(text) < SUSPECT_SHARE * paragraphWeightBefore) {
    const unpruned = readability(reparse(), maxElements);
    const unprunedText = unpruned ? cleanText(unpruned.content, features, undefined, headlines) : '';
    if (textWeight(unprunedText) > 1.5 * textWeight(text)) {
      article = unpruned;
      text = unprunedText;
    }
  }
  let by: ArticleReading['by'] = 'readability';
  if (textWeight(text) < TOO_LITTLE && textWeight(paragraphs) > textWeight(text)) {
    text = paragraphs;
    by = 'paragraphs';
  }
  if (
    features.structuredData &&
    articleBody &&
    textWeight(articleBody) >= TOO_LITTLE &&
    textWeight(articleBody) >= WHOLE_BODY_SHARE * textWeight(text)
  ) {
    text = articleBody;
    by = 'structured-data';
  }
  if (!text) return null;
  return {
    text,
    readabilityTitle: article?.title ?? '',
    readabilityByline: article?.byline ?? '',
    readabilityPublished: article?.publishedTime ?? '',
    by,
  };
}

function readability(document: DomDocument, maxElements: number) {
  const article = new Readability(document, {
    maxElemsToParse: maxElements,
    // The content element itself, not its HTML: the blocks are read from the tree, not a reparse.
    serializer: (element: unknown) => element as never,
  }).parse();
  if (!article?.content) return null;
  return { ...article, content: article.content as unknown as DomElement };
}

/** The article element's text as paragraphs, its furniture and the site's repeated blocks dropped. */
function cleanText(
  content: DomElement,
  features: ReadingFeatures,
  site: { memory: SiteMemory; pageUrl: string } | undefined,
  headlines: readonly string[],
): string {
  if (features.pruning) removeFurniture(content);
  let blocks = textBlocks(content);
  if (features.pruning) blocks = dropFurnitureBlocks(blocks, headlines);
  if (features.siteRepeats && site) blocks = site.memory.filter(site.pageUrl, blocks);
  return blocksToText(blocks);
}

function paragraphWeight(root: DomElement): number {
  let weight = 0;
  for (const paragraph of root.querySelectorAll('p')) weight += textWeight(normalizeSpace(paragraph.textContent ?? ''));
  return weight;
}

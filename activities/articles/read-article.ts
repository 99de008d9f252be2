import { Readability } from '@mozilla/readability';
import { dropFurnitureBlocks, removeFurniture } from './boilerplate.js';
import type { DomDocument, DomElement } from './dom.js';
import { proseParagraphs } from './paragraph-fallback.js';
import { blocksToText, textBlocks, textWeight } from './text-blocks.js';

/** The parts of article reading, each of which can be turned off to measure what it buys (bench/extract-quality.ts). */
export interface ReadingFeatures {
  /** Take JSON-LD articleBody when it is whole. */
  structuredData: boolean;
  /** Remove page furniture before and after Readability. */
  pruning: boolean;
  /** Read prose paragraphs when Readability finds too little. */
  fallback: boolean;
}

export const ALL_FEATURES: ReadingFeatures = { structuredData: true, pruning: true, fallback: true };

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
): ArticleReading | null {
  const body = document.body;
  if (features.pruning && body) removeFurniture(body);
  // Read before Readability, which rewrites the document it is given.
  const paragraphs = features.fallback && body ? blocksToText(proseParagraphs(body)) : '';
  const article = new Readability(document, {
    maxElemsToParse: maxElements,
    // The content element itself, not its HTML: the blocks are read from the tree, not a reparse.
    serializer: (element: unknown) => element as never,
  }).parse();
  const content = article?.content as unknown as DomElement | null | undefined;
  let text = '';
  if (content) {
    if (features.pruning) removeFurniture(content);
    const blocks = textBlocks(content);
    text = blocksToText(features.pruning ? dropFurnitureBlocks(blocks) : blocks);
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

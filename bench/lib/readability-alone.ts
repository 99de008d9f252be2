import { Readability } from '@mozilla/readability';
import { MAX_ARTICLE_DEPTH, MAX_ARTICLE_ELEMENTS } from '../../activities/articles/extract-article.js';
import { parseHtmlDocument } from '../../activities/articles/light-dom.js';

/**
 * The article text Readability alone gives, as web_article read it before the structured-data,
 * pruning and fallback stages (commit 3261855): Readability on the same linkedom document, its
 * textContent with white space collapsed. The bench's baseline.
 */
export function readabilityAlone(html: string): string {
  const document = parseHtmlDocument(html, { maxDepth: MAX_ARTICLE_DEPTH, maxElements: MAX_ARTICLE_ELEMENTS });
  const article = new Readability(document, { maxElemsToParse: MAX_ARTICLE_ELEMENTS }).parse();
  return (article?.textContent ?? '')
    .replace(/[ \t\f\v\u00a0]+/g, ' ')
    .replace(/\s*\n\s*/g, '\n')
    .trim();
}

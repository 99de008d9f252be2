import { FailureType } from '../../schemas/failure-types.js';
import { PageTooComplexError, parseHtmlDocument, type LightDocument } from '../articles/light-dom.js';
import { permanentFailure } from '../failures.js';

/** A results page as a document; one beyond the parser's limits is not a results page, and a retry would get the same. */
export function parseSearchHtml(html: string, pageUrl: string): LightDocument {
  try {
    return parseHtmlDocument(html);
  } catch (error) {
    if (error instanceof PageTooComplexError)
      throw permanentFailure(FailureType.MalformedBody, `${pageUrl}: ${error.message}`, { url: pageUrl });
    throw error;
  }
}

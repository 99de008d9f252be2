import { FailureType } from '../../schemas/failure-types.js';
import { permanentFailure } from '../failures.js';
import { NotAFeedError, parseFeedDocument, type ParsedFeed } from '../feeds/parse-feed.js';

/**
 * An engine's RSS answer. Anything else (a consent page, a redesigned endpoint) fails the run at once:
 * the engine chose to answer that way, and retrying would only ask it again.
 */
export function parseSearchFeed(body: string, url: string): ParsedFeed {
  try {
    return parseFeedDocument(body);
  } catch (error) {
    if (error instanceof NotAFeedError)
      throw permanentFailure(FailureType.NotAFeed, `${url}: ${error.message}`, { url });
    throw error;
  }
}

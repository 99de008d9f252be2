import { FailureType } from '../../schemas/failure-types.js';
import { transientFailure } from '../failures.js';
import type { FetchedText } from '../http/http-client.js';

/**
 * DuckDuckGo answers a client it throttles with HTTP 202 and a page without results, which the HTTP
 * client counts as success: saying "nothing found" would hide the throttling, so the attempt is retried.
 */
export function assertNotThrottled(response: FetchedText): void {
  if (response.status === 202) {
    throw transientFailure(
      FailureType.HttpTransient,
      `GET ${response.url} answered HTTP 202: DuckDuckGo is throttling this client`,
      { details: { url: response.url, status: 202 } },
    );
  }
}

import { FailureType } from '../../schemas/failure-types.js';
import { permanentFailure } from '../failures.js';
import { AddressRefusedError, SchemeRefusedError } from './address-guard.js';

/**
 * The guard's refusals as permanent failures naming the URL, the host and the rule; the connector's
 * arrive wrapped by fetch ("fetch failed", cause). Null for any other error.
 */
export function refusalFailure(error: unknown, url: string) {
  const refusal = findCause(
    error,
    (cause) => cause instanceof AddressRefusedError || cause instanceof SchemeRefusedError,
  );
  if (refusal instanceof AddressRefusedError) {
    return permanentFailure(
      FailureType.PrivateAddressRefused,
      `refused ${shortUrl(url)}: ${refusal.message} — set HTTP_ALLOWED_PRIVATE_HOSTS to allow it`,
      {
        url: shortUrl(url),
        host: refusal.host,
        address: refusal.address,
        rule: refusal.rule,
      },
    );
  }
  if (refusal instanceof SchemeRefusedError) {
    return permanentFailure(FailureType.UnsupportedScheme, `refused ${shortUrl(url)}: ${refusal.message}`, {
      url: shortUrl(url),
      scheme: refusal.scheme,
    });
  }
  return null;
}

function findCause(error: unknown, test: (cause: unknown) => boolean): unknown {
  for (let cause = error, depth = 0; cause !== undefined && cause !== null && depth < 5; depth += 1) {
    if (test(cause)) return cause;
    cause = (cause as { cause?: unknown }).cause;
  }
  return undefined;
}

/** A data: URL can be megabytes long; a message needs its start. */
function shortUrl(url: string): string {
  return url.length > 200 ? `${url.slice(0, 200)}…` : url;
}

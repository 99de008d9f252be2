/**
 * Stable failure types carried by Temporal ApplicationFailures and by API errors. Workflows, activities,
 * the API and tests match on these, never on messages.
 */
export const FailureType = {
  /** The run's input or the stream's config does not satisfy its schema. Never retried. */
  Validation: 'ValidationError',
  /** The remote answered with a status that will not change on retry (400, 401, 403, 404, 410...). */
  HttpPermanent: 'HttpPermanentError',
  /** The remote answered 429 or 5xx; retried, after Retry-After when it gives one. */
  HttpTransient: 'HttpTransientError',
  /** Connection refused, reset, DNS failure, or the request timed out. Retried. */
  Network: 'NetworkError',
  /** The body grew past the task's size limit. Never retried. */
  BodyTooLarge: 'BodyTooLargeError',
  /** The body is not a feed the parser understands. Never retried. */
  NotAFeed: 'NotAFeedError',
  /** The body is not the document the task expects (a sitemap, valid gzip...). Never retried. */
  MalformedBody: 'MalformedBodyError',
  /** The site's robots.txt disallows the URL for our user agent. Never retried. */
  RobotsDisallowed: 'RobotsDisallowedError',
  /** Redirects went in a circle or past the limit. Never retried. */
  TooManyRedirects: 'TooManyRedirectsError',
  /** The URL's host is, or resolves to, a private address (loopback, RFC 1918, link-local and metadata, CGNAT, ULA...) not in HTTP_ALLOWED_PRIVATE_HOSTS. Never retried. */
  PrivateAddressRefused: 'PrivateAddressRefusedError',
  /** The URL is not http or https (data:, file:, ftp:...): nothing else is fetched. Never retried. */
  UnsupportedScheme: 'UnsupportedSchemeError',
  /** A language model's answer is not the documents it was asked for. Retried: another answer may be. */
  ModelOutput: 'ModelOutputError',
  /** The worker lacks a setting the task needs (e.g. the bot token a stream names). Never retried: fix the worker's environment, then run again. */
  Configuration: 'ConfigurationError',
} as const;

export type FailureTypeName = (typeof FailureType)[keyof typeof FailureType];

export const nonRetryableFailureTypes: readonly string[] = [
  FailureType.Validation,
  FailureType.HttpPermanent,
  FailureType.BodyTooLarge,
  FailureType.NotAFeed,
  FailureType.MalformedBody,
  FailureType.RobotsDisallowed,
  FailureType.TooManyRedirects,
  FailureType.PrivateAddressRefused,
  FailureType.UnsupportedScheme,
  FailureType.Configuration,
];

/**
 * The key of the detail a failed task activity adds to its failure: which attempt failed, so a failed
 * or cancelled run can say how many attempts it used (the failure is all the workflow gets back).
 */
export const ATTEMPT_DETAIL_KEY = 'activityAttempt';

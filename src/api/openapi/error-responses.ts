import { BODY_LIMIT_BYTES, bodyTooLargeMessage, MAX_PARAM_LENGTH, RETRY_AFTER_SECONDS } from '../errors.js';
import { errorResponse } from './response-schemas.js';

/** What each error status means in this API; the OpenAPI document describes every such answer with it. */
export const errorDescriptions = {
  400: 'The request is invalid: `issues` names each field path (`body.config.max_items`, `query.limit`, `params.id`, `headers.idempotency-key`) with its problem; or the body is not valid JSON.',
  401: 'API keys are configured and the request has none (`Authorization: Bearer <key>`), or one that is not valid.',
  403: 'A `read` key on an operation that changes something (FORBIDDEN); or, on a keyless API, a request addressed to a name other than localhost (HOST_NOT_ALLOWED) or a change from another site’s page (ORIGIN_NOT_ALLOWED).',
  404: 'No such record (NOT_FOUND).',
  409: 'The request conflicts with the current state (the `code` says which: a taken name, a run in progress, a record still in use...).',
  413: `The body is too large: ${bodyTooLargeMessage(BODY_LIMIT_BYTES)}.`,
  414: `A path parameter is longer than ${MAX_PARAM_LENGTH} characters (FST_ERR_MAX_PARAM_LENGTH).`,
  415: 'The body is not JSON: `application/json` is the only media type the API reads.',
  503: `Temporal or the database cannot answer right now (TEMPORAL_UNAVAILABLE, DATABASE_UNAVAILABLE, DATABASE_BUSY), or a saved stream's schedule could not follow (SCHEDULE_SYNC_FAILED): try again after Retry-After (${RETRY_AFTER_SECONDS} s).`,
} as const;

export type ErrorStatus = keyof typeof errorDescriptions;

/**
 * The error answers a route declares next to its success answers: `response: { 200: x, ...errors(404, 503) }`.
 * 400, 401, 403, 413, 414 and 415 come from the API's hooks (validation, keys, body parsing), so the document
 * adds them to every operation they apply to (see openapi/swagger.ts); a route names the others it can answer.
 */
export function errors<TStatus extends ErrorStatus>(...statuses: TStatus[]): Record<TStatus, typeof errorResponse> {
  return Object.fromEntries(statuses.map((status) => [status, errorResponse])) as Record<TStatus, typeof errorResponse>;
}

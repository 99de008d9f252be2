import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import { toFieldIssues, type FieldIssue } from '../../schemas/validation.js';
import { DatabaseBusyError, isDatabaseUnavailable } from '../db/database-errors.js';
import { isTemporalUnavailable } from '../temporal/client.js';

/** What a 503 tells a client to wait before trying again: long enough for a restart, short enough to notice it. */
export const RETRY_AFTER_SECONDS = 5;

/** An error the API answers with on purpose: a status, a stable code, and field issues when relevant. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly issues?: FieldIssue[],
  ) {
    super(message);
  }
}

export const notFound = (what: string, id: string) => new ApiError(404, 'NOT_FOUND', `${what} ${id} not found`);

export function validationError(issues: FieldIssue[]): ApiError {
  return new ApiError(400, 'VALIDATION_FAILED', 'the request is invalid', issues);
}

export interface ErrorBody {
  error: { code: string; message: string; issues?: FieldIssue[] };
}

/**
 * A dependency that is down answers 503 with Retry-After, never 500: the request was fine and will
 * work once Temporal or the database is back. Undefined for any other error.
 */
export function unavailableError(error: unknown): ApiError | undefined {
  if (isTemporalUnavailable(error))
    return new ApiError(503, 'TEMPORAL_UNAVAILABLE', 'Temporal is not answering; try again shortly');
  if (error instanceof DatabaseBusyError)
    return new ApiError(503, 'DATABASE_BUSY', 'the database is locked by another connection; try again shortly');
  if (isDatabaseUnavailable(error))
    return new ApiError(
      503,
      'DATABASE_UNAVAILABLE',
      'the database cannot take this request right now; try again shortly',
    );
  return undefined;
}

/**
 * One place decides how errors look: ours keep their status and code, zod errors become 400 with
 * field paths, Fastify's own 4xx (bad JSON, oversized body, wrong media type) keep theirs, Temporal
 * or the database down is a 503 with Retry-After, and anything else is a 500 whose message stays in
 * the log, not in the answer. A path no route serves is a 404; a known path asked with another method, a
 * 405 naming the methods it takes (`allowedMethods`, see method-not-allowed.ts).
 */
export function installErrorHandler(app: FastifyInstance, allowedMethods: (path: string) => string[]): void {
  /** A path some route serves, asked with a method none takes: 405 with Allow (undefined otherwise). */
  const methodNotAllowed = (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0] ?? '/';
    const allowed = allowedMethods(path);
    if (allowed.length === 0) return undefined;
    return reply
      .status(405)
      .header('allow', allowed.join(', '))
      .send({
        error: {
          code: 'METHOD_NOT_ALLOWED',
          message: `${request.method} is not allowed on ${path}; it takes ${allowed.join(', ')}`,
        },
      } satisfies ErrorBody);
  };

  app.setErrorHandler((error: FastifyError | ApiError | ZodError, request, reply) => {
    // Reading the body of a request no route takes can fail first (QUERY without a content type): the
    // answer is still about the method.
    if (request.is404) {
      const answered = methodNotAllowed(request, reply);
      if (answered) return answered;
    }
    if (error instanceof ApiError) {
      const body: ErrorBody = {
        error: { code: error.code, message: error.message, ...(error.issues ? { issues: error.issues } : {}) },
      };
      // Every 503 says when to come back, whichever part of the API raised it.
      if (error.statusCode === 503) reply.header('retry-after', String(RETRY_AFTER_SECONDS));
      return reply.status(error.statusCode).send(body);
    }
    if (error instanceof ZodError) {
      const body: ErrorBody = {
        error: { code: 'VALIDATION_FAILED', message: 'the request is invalid', issues: toFieldIssues(error) },
      };
      return reply.status(400).send(body);
    }
    const statusCode = 'statusCode' in error && typeof error.statusCode === 'number' ? error.statusCode : 500;
    if (statusCode >= 400 && statusCode < 500) {
      const code = 'code' in error && typeof error.code === 'string' ? error.code : 'BAD_REQUEST';
      const message =
        statusCode === 413 ? bodyTooLargeMessage(request.routeOptions.bodyLimit ?? BODY_LIMIT_BYTES) : error.message;
      return reply.status(statusCode).send({ error: { code, message } } satisfies ErrorBody);
    }
    const unavailable = unavailableError(error);
    if (unavailable) {
      request.log.warn({ err: error, code: unavailable.code }, 'a dependency is unavailable');
      const body: ErrorBody = { error: { code: unavailable.code, message: unavailable.message } };
      return reply.status(503).header('retry-after', String(RETRY_AFTER_SECONDS)).send(body);
    }
    request.log.error({ err: error }, 'request failed');
    return reply
      .status(500)
      .send({ error: { code: 'INTERNAL', message: 'internal error; see the server log' } } satisfies ErrorBody);
  });
  app.setNotFoundHandler((request, reply) => {
    const answered = methodNotAllowed(request, reply);
    if (answered) return answered;
    return reply.status(404).send({
      error: { code: 'ROUTE_NOT_FOUND', message: `no route ${request.method} ${request.url}` },
    } satisfies ErrorBody);
  });
}

/**
 * Errors Fastify raises before a route is found (a malformed URL: 400; a path parameter over the router's
 * limit: 414) answer in the API's error shape too, instead of Fastify's own.
 */
export function answerFrameworkError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const statusCode = error.statusCode && error.statusCode < 500 ? error.statusCode : 400;
  void reply.status(statusCode).send({ error: { code: error.code, message: error.message } } satisfies ErrorBody);
}

/** Longest path parameter the router takes: ids are short, but a long one gets the route's own 400. */
export const MAX_PARAM_LENGTH = 2048;

/** Request bodies are stream definitions, never uploads: a megabyte is plenty. */
export const BODY_LIMIT_BYTES = 1024 * 1024;

const MIB = 1024 * 1024;

/** What a 413 says: the limit, in bytes and in a unit a person reads. */
export const bodyTooLargeMessage = (limit: number) =>
  `the request body is larger than the limit of ${limit} bytes (${limit % MIB === 0 ? `${limit / MIB} MiB` : `${Math.round(limit / 1024)} KiB`})`;

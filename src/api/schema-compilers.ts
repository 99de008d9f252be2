import type { FastifySchemaCompiler, FastifySerializerCompiler } from 'fastify';
import type { z } from 'zod';
import { toFieldIssues } from '../../schemas/validation.js';
import { validationError } from './errors.js';
import { JSON_NULL_BODY } from './json-body.js';

/** How a request part is named in a field path: `query.limit`, not Fastify's `querystring.limit`. */
const partNames: Record<string, string> = { body: 'body', querystring: 'query', params: 'params', headers: 'headers' };

/**
 * Validates each request part with the route's zod schema (params, then body, querystring, headers:
 * Fastify's order). A mismatch is the API's own 400, every issue named by its field path
 * (`body.config.max_items`). An absent body (not a JSON `null`) reads as `{}`, so a route whose body has no required field
 * takes an empty request. Headers are checked but handed on untouched: the schema names only the
 * headers a route reads, and the rest (authorization, content-type) must stay.
 */
export const zodValidatorCompiler: FastifySchemaCompiler<z.ZodType> =
  ({ schema, httpPart }) =>
  (data: unknown) => {
    const part = partNames[httpPart ?? ''] ?? httpPart ?? 'request';
    const result = schema.safeParse(data === JSON_NULL_BODY ? null : (data ?? {}));
    if (!result.success) return { error: validationError(toFieldIssues(result.error, part)) };
    return { value: httpPart === 'headers' ? data : result.data };
  };

/**
 * Answers are written as plain JSON. The response schemas describe them for the OpenAPI document and
 * tests check real answers against them; they do not filter or reject what a route sends, so a field
 * missing from a schema can never turn a good answer into a 500.
 */
export const jsonSerializerCompiler: FastifySerializerCompiler<unknown> = () => (data) => JSON.stringify(data);

import type { z } from 'zod';
import { toFieldIssues } from '../../schemas/validation.js';
import { validationError } from './errors.js';

/**
 * Parses a request part with a zod schema; a mismatch is a 400 listing each field path (`body.name`).
 * Routes declare their schemas in `schema` instead (see schema-compilers.ts), which also documents them;
 * this is for values a route reads beyond its declared parts.
 */
export function parseRequest<TSchema extends z.ZodType>(
  schema: TSchema,
  value: unknown,
  part: 'body' | 'params' | 'query',
): z.output<TSchema> {
  const result = schema.safeParse(value ?? {});
  if (!result.success) throw validationError(toFieldIssues(result.error, part));
  return result.data;
}

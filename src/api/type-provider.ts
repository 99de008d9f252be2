import type { FastifyPluginAsync, FastifyPluginOptions, FastifyTypeProvider, RawServerDefault } from 'fastify';
import type { z } from 'zod';

/**
 * Routes read their params, query, headers and body as their zod schemas' output types. Answers are not
 * typed by the response schemas: those describe the wire format for the document (the repositories'
 * records carry looser types, such as a config typed `unknown`), and tests hold real answers to them.
 */
export interface ApiTypeProvider extends FastifyTypeProvider {
  validator: this['schema'] extends z.ZodType ? z.output<this['schema']> : unknown;
  serializer: unknown;
}

/** A route plugin of the API: `export const fooRoutes: ApiRoutes<AppDeps> = async (app, deps) => { ... }`. */
export type ApiRoutes<TOptions extends FastifyPluginOptions = Record<never, never>> = FastifyPluginAsync<
  TOptions,
  RawServerDefault,
  ApiTypeProvider
>;

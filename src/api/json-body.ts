import type { FastifyInstance } from 'fastify';

/**
 * A body that is the JSON literal `null`. Fastify hands a validator `null` for an absent body too, so the
 * parser marks a sent `null` to keep it apart: an absent body may stand for `{}`, a `null` one never does.
 */
export const JSON_NULL_BODY = Symbol('json null body');

/**
 * Fastify's JSON parser refuses an empty body sent with `content-type: application/json`
 * (FST_ERR_CTP_EMPTY_JSON_BODY), which many clients send on a bodiless POST (run now, cancel, resume).
 * An empty body reads as no body instead; the route's schema decides whether it needed one. Anything
 * else goes to Fastify's own parser, prototype-poisoning checks and all.
 */
export function acceptEmptyJsonBodies(app: FastifyInstance): void {
  const { onProtoPoisoning = 'error', onConstructorPoisoning = 'error' } = app.initialConfig;
  const parseJson = app.getDefaultJsonParser(onProtoPoisoning, onConstructorPoisoning);
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string; // parseAs: 'string'
    if (text.trim() === '') return done(null, undefined);
    if (text.trim() === 'null') return done(null, JSON_NULL_BODY);
    return parseJson(request, text, done);
  });
}

import type { FastifyInstance } from 'fastify';

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
    return parseJson(request, text, done);
  });
}

import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { AppDeps } from './app-deps.js';
import { newloomApi } from './app.js';

/** Request bodies are stream definitions, never uploads: a megabyte is plenty. */
const BODY_LIMIT_BYTES = 1024 * 1024;

export async function createApiServer(deps: AppDeps, logger: Logger): Promise<FastifyInstance> {
  const loggerInstance: FastifyBaseLogger = logger.child({ component: 'api' });
  const app = Fastify({
    loggerInstance,
    bodyLimit: BODY_LIMIT_BYTES,
    // Long ids reach the routes, whose schemas answer 400 in the API's own error shape.
    routerOptions: { maxParamLength: 2048 },
  });
  await app.register(newloomApi, deps);
  return app;
}

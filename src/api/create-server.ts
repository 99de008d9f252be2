import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { AppDeps } from './app-deps.js';
import { newloomApi } from './app.js';
import { answerFrameworkError, BODY_LIMIT_BYTES, MAX_PARAM_LENGTH } from './errors.js';

export async function createApiServer(deps: AppDeps, logger: Logger): Promise<FastifyInstance> {
  const loggerInstance: FastifyBaseLogger = logger.child({ component: 'api' });
  const app = Fastify({
    loggerInstance,
    bodyLimit: BODY_LIMIT_BYTES,
    // Long ids reach the routes, whose schemas answer 400 in the API's own error shape.
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    frameworkErrors: answerFrameworkError,
  });
  await app.register(newloomApi, deps);
  return app;
}

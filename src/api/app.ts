import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from './app-deps.js';
import { installAuth } from './auth.js';
import { installErrorHandler } from './errors.js';
import { createApiMetrics, installMetrics } from './metrics.js';
import { acceptEmptyJsonBodies } from './json-body.js';
import { trackAllowedMethods } from './method-not-allowed.js';
import { registerOpenApi } from './openapi/swagger.js';
import { consoleRoutes } from './routes/console.js';
import { installStreamHealthMetrics } from './stream-health-metrics.js';
import { healthRoutes } from './routes/health.js';
import { itemRoutes } from './routes/items.js';
import { itemLineageRoutes } from './routes/item-lineage.js';
import { publicationRoutes } from './routes/publications.js';
import { mediaRoutes } from './routes/media.js';
import { documentRoutes } from './routes/documents.js';
import { sourceRoutes } from './routes/sources.js';
import { runEventRoutes } from './routes/run-events.js';
import { runRoutes } from './routes/runs.js';
import { streamRunRoutes } from './routes/stream-runs.js';
import { streamRoutes } from './routes/streams.js';
import { streamScheduleRoutes } from './routes/stream-schedule.js';
import { streamFireRoutes } from './routes/stream-fires.js';
import { taskRoutes } from './routes/tasks.js';
import { jsonSerializerCompiler, zodValidatorCompiler } from './schema-compilers.js';

/**
 * The NewLoom HTTP API as a Fastify plugin. It owns no process concerns (ports, signals, logger
 * choice): `server.ts` and `main.ts` do, and tests register it on a bare instance and use `inject`.
 */
export const newloomApi: FastifyPluginAsync<AppDeps> = async (app, options) => {
  const deps: AppDeps = { ...options, metrics: options.metrics ?? createApiMetrics() };
  // Each route declares its params, querystring, headers, body and answers once, as zod schemas: they
  // validate the request and, through @fastify/swagger, make the OpenAPI document.
  app.setValidatorCompiler(zodValidatorCompiler);
  app.setSerializerCompiler(jsonSerializerCompiler);
  installErrorHandler(app, trackAllowedMethods(app));
  // The API speaks JSON only: a text body is a wrong media type (415), not a malformed object.
  app.removeContentTypeParser('text/plain');
  acceptEmptyJsonBodies(app);
  installAuth(app, deps.apiKeys ?? []);
  await registerOpenApi(app);
  installMetrics(app, deps.metrics!);
  installStreamHealthMetrics(deps.metrics!.registry, deps.db);
  await app.register(healthRoutes, deps);
  await app.register(taskRoutes);
  await app.register(sourceRoutes, deps);
  await app.register(streamRoutes, deps);
  await app.register(itemRoutes, deps);
  await app.register(itemLineageRoutes, deps);
  await app.register(publicationRoutes, deps);
  await app.register(mediaRoutes, deps);
  await app.register(documentRoutes, deps);
  await app.register(streamRunRoutes, deps);
  await app.register(streamFireRoutes, deps);
  await app.register(runRoutes, deps);
  await app.register(runEventRoutes, deps);
  await app.register(streamScheduleRoutes, deps);
  await app.register(consoleRoutes, deps);
};

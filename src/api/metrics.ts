import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import { z } from 'zod';

/** The API process's Prometheus metrics; one registry per app so tests can build many apps. */
export interface ApiMetrics {
  registry: Registry;
  runsStarted: Counter<'task_type' | 'trigger'>;
}

export function createApiMetrics(): ApiMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'newloom_api_' });
  return {
    registry,
    runsStarted: new Counter({
      name: 'newloom_runs_started_total',
      help: 'Runs started through the API (scheduled runs are started by Temporal and counted there).',
      labelNames: ['task_type', 'trigger'],
      registers: [registry],
    }),
  };
}

/** Request durations by route pattern (never the raw URL: ids would explode the label set), and GET /metrics. */
export function installMetrics(app: FastifyInstance, metrics: ApiMetrics): void {
  const requestDuration = new Histogram({
    name: 'newloom_http_request_duration_seconds',
    help: 'API request durations by route pattern, method and status.',
    labelNames: ['route', 'method', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [metrics.registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    requestDuration.observe(
      { route, method: request.method, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
  const schema = {
    summary: 'Prometheus metrics of the API process',
    tags: ['health'],
    response: {
      200: { description: 'the text exposition format', content: { 'text/plain': { schema: z.string() } } },
    },
  };
  app.get('/metrics', { schema }, async (_request, reply) =>
    reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );
}

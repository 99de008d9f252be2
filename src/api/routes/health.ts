import type { FastifyPluginAsync } from 'fastify';
import { sql } from 'kysely';
import type { AppDeps } from '../app-deps.js';

/** A dependency that does not answer within this long counts as down for readiness. */
const READINESS_DEADLINE_MS = 2000;

export const healthRoutes: FastifyPluginAsync<AppDeps> = async (app, { db, temporal }) => {
  /** Liveness: the process serves HTTP. Never touches a dependency, so it cannot flap with them. */
  app.get('/healthz', async () => ({ status: 'ok' }));

  /** Readiness: the database and Temporal both answer. */
  app.get('/readyz', async (request, reply) => {
    const check = async (probe: () => Promise<unknown>): Promise<string> => {
      try {
        await Promise.race([probe(), new Promise((_, reject) => setTimeout(() => reject(new Error('timed out')), READINESS_DEADLINE_MS))]);
        return 'ok';
      } catch (error) {
        request.log.warn({ err: error }, 'readiness check failed');
        return error instanceof Error ? error.message : 'failed';
      }
    };
    const [database, temporalCheck] = await Promise.all([
      check(() => sql`select 1`.execute(db)),
      check(() => temporal.client.withDeadline(Date.now() + READINESS_DEADLINE_MS, () => temporal.client.workflowService.getSystemInfo({}))),
    ]);
    const ready = database === 'ok' && temporalCheck === 'ok';
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks: { database, temporal: temporalCheck } });
  });
};

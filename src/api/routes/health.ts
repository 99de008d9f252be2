import { hostname } from 'node:os';
import type { Database } from '../../db/database.js';
import type { AppDeps } from '../app-deps.js';
import { RETRY_AFTER_SECONDS } from '../errors.js';
import { healthResponse, readinessResponse } from '../openapi/response-schemas.js';
import type { ApiRoutes } from '../type-provider.js';

/** A dependency that does not answer within this long counts as down for readiness. */
const READINESS_DEADLINE_MS = 2000;

export const healthRoutes: ApiRoutes<AppDeps> = async (app, { db, temporal }) => {
  /** Liveness: the process serves HTTP. Never touches a dependency, so it cannot flap with them. */
  const liveness = { summary: 'Liveness', tags: ['health'], response: { 200: healthResponse } };
  app.get('/healthz', { schema: liveness }, async () => ({ status: 'ok' }));

  /** Readiness: the database takes a write and Temporal answers. */
  const readiness = {
    summary: 'Readiness: the database and Temporal answer',
    tags: ['health'],
    response: {
      200: readinessResponse,
      503: readinessResponse.describe('not ready: `checks` says which dependency failed'),
    },
  };
  app.get('/readyz', { schema: readiness }, async (request, reply) => {
    const check = async (probe: () => Promise<unknown>): Promise<string> => {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          probe(),
          new Promise(
            (_, reject) =>
              (timer = setTimeout(
                () => reject(new Error(`no answer within ${READINESS_DEADLINE_MS} ms`)),
                READINESS_DEADLINE_MS,
              )),
          ),
        ]);
        return 'ok';
      } catch (error) {
        request.log.warn({ err: error }, 'readiness check failed');
        return error instanceof Error ? error.message : 'failed';
      } finally {
        clearTimeout(timer);
      }
    };
    const [database, temporalCheck] = await Promise.all([
      check(() => probeWrite(db)),
      check(() =>
        temporal.client.withDeadline(Date.now() + READINESS_DEADLINE_MS, () =>
          temporal.client.workflowService.getSystemInfo({}),
        ),
      ),
    ]);
    const ready = database === 'ok' && temporalCheck === 'ok';
    if (!ready) reply.header('retry-after', String(RETRY_AFTER_SECONDS));
    return reply
      .status(ready ? 200 : 503)
      .send({ status: ready ? 'ready' : 'not_ready', checks: { database, temporal: temporalCheck } });
  });
};

/** This process's row in health_checks: probes of one process overwrite each other, never grow the table. */
const probeId = `${hostname()}:${process.pid}`;

/**
 * A read succeeds on a read-only file, a full disk and a database another process has locked; only a
 * committed write proves the database can do its job. A transaction, so the commit itself is tested.
 */
async function probeWrite(db: Database): Promise<void> {
  const checkedAt = new Date().toISOString();
  await db.transaction().execute((trx) =>
    trx
      .insertInto('health_checks')
      .values({ id: probeId, checked_at: checkedAt })
      .onConflict((conflict) => conflict.column('id').doUpdateSet({ checked_at: checkedAt }))
      .execute(),
  );
}

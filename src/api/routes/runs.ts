import type { FastifyPluginAsync } from 'fastify';
import { listItems } from '../../db/items-repository.js';
import { findSource } from '../../db/sources-repository.js';
import { cancelRun, describeRun, newAdHocRunId, RunNotRunningError, startAdHocRun } from '../../temporal/runs.js';
import type { AppDeps } from '../app-deps.js';
import { findTaskDefinition } from '../../../schemas/tasks/index.js';
import { ApiError, notFound, validationError } from '../errors.js';
import { idempotencyKeyOf, startIdempotently } from '../idempotent-start.js';
import { parseRequest } from '../parse.js';
import { adHocRunBody, itemPageQuery, runParams, validTaskConfig } from '../request-schemas.js';

export const runRoutes: FastifyPluginAsync<AppDeps> = async (app, { db, temporal, metrics }) => {
  app.post('/runs', async (request, reply) => {
    const body = parseRequest(adHocRunBody, request.body, 'body');
    const key = idempotencyKeyOf(request);
    const config = validTaskConfig(body.type, body.config);
    // Writing and publishing tasks name what they read in their config; only collected links need a source to land in.
    if (!body.dryRun && !body.sourceId && findTaskDefinition(body.type)?.produces === 'links') {
      throw validationError([{ path: 'body.sourceId', message: 'sourceId is required unless dryRun is true' }]);
    }
    if (body.sourceId && !(await findSource(db, body.sourceId)))
      throw validationError([{ path: 'body.sourceId', message: `no source ${body.sourceId}` }]);
    // One key names one ad-hoc run, whatever the body of the repeated request says.
    const { runId, replayed } = await startIdempotently(db, key, 'adhoc', newAdHocRunId(body.type), async (runId) => {
      await startAdHocRun(
        temporal,
        { taskType: body.type, config, sourceId: body.sourceId, dryRun: body.dryRun },
        { runId, onlyIfNew: true },
      );
    });
    if (replayed) {
      request.log.info({ workflowId: runId }, 'ad-hoc run request replayed (same Idempotency-Key)');
      void reply.header('idempotent-replayed', 'true');
    } else {
      metrics?.runsStarted.inc({ task_type: body.type, trigger: body.dryRun ? 'dry_run' : 'ad_hoc' });
      request.log.info({ workflowId: runId, taskType: body.type, dryRun: body.dryRun }, 'ad-hoc run started');
    }
    return reply
      .status(replayed ? 200 : 202)
      .header('location', `/runs/${runId}`)
      .send({ runId, status: 'running', statusUrl: `/runs/${runId}` });
  });

  app.get('/runs/:id', async (request) => {
    const { id } = parseRequest(runParams, request.params, 'params');
    const run = await describeRun(temporal.client, id);
    if (!run) throw notFound('run', id);
    return run;
  });

  app.get('/runs/:id/items', async (request) => {
    const { id } = parseRequest(runParams, request.params, 'params');
    const page = parseRequest(itemPageQuery, request.query, 'query');
    return { items: await listItems(db, { runId: id, ...page }), ...page };
  });

  app.post('/runs/:id/cancel', async (request, reply) => {
    const { id } = parseRequest(runParams, request.params, 'params');
    const run = await describeRun(temporal.client, id);
    if (!run) throw notFound('run', id);
    try {
      await cancelRun(temporal.client, run);
    } catch (error) {
      if (error instanceof RunNotRunningError) throw new ApiError(409, 'RUN_NOT_RUNNING', error.message);
      throw error;
    }
    request.log.info({ workflowId: id, streamId: run.streamId }, 'run cancel requested');
    return reply.status(202).send({ runId: id, status: 'cancelling', statusUrl: `/runs/${id}` });
  });
};

import { listItems } from '../../db/items-repository.js';
import { findSource } from '../../db/sources-repository.js';
import { cancelRun, describeRun, newAdHocRunId, RunNotRunningError, startAdHocRun } from '../../temporal/runs.js';
import type { AppDeps } from '../app-deps.js';
import { findTaskDefinition } from '../../../schemas/tasks/index.js';
import { ApiError, notFound, validationError } from '../errors.js';
import { idempotencyKeyOf, startIdempotently } from '../idempotent-start.js';
import { errors } from '../openapi/error-responses.js';
import {
  adHocRunStartedResponse,
  itemListResponse,
  runCancellingResponse,
  runResponse,
} from '../openapi/response-schemas.js';
import { adHocRunBody, idempotencyHeaders, itemPageQuery, runParams } from '../request-schemas.js';
import type { ApiRoutes } from '../type-provider.js';

const tags = ['runs'];

export const runRoutes: ApiRoutes<AppDeps> = async (app, { db, temporal, metrics }) => {
  app.post(
    '/runs',
    {
      schema: {
        summary:
          'Run a task on a config with no stored stream; dryRun previews without saving (200: the run an earlier request with the same Idempotency-Key started)',
        tags,
        headers: idempotencyHeaders,
        body: adHocRunBody,
        response: {
          200: adHocRunStartedResponse.describe('the run an earlier request with this Idempotency-Key started'),
          202: adHocRunStartedResponse,
          ...errors(503),
        },
      },
    },
    async (request, reply) => {
      const { body } = request;
      const key = idempotencyKeyOf(request);
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
          { taskType: body.type, config: body.config, sourceId: body.sourceId, dryRun: body.dryRun },
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
    },
  );

  app.get(
    '/runs/:id',
    {
      schema: {
        summary: 'A run: status, live progress, result or error',
        tags,
        params: runParams,
        response: { 200: runResponse, ...errors(404, 503) },
      },
    },
    async (request) => {
      const { id } = request.params;
      const run = await describeRun(temporal.client, id);
      if (!run) throw notFound('run', id);
      return run;
    },
  );

  app.get(
    '/runs/:id/items',
    {
      schema: {
        summary: 'Items a run found first',
        tags: ['items'],
        params: runParams,
        querystring: itemPageQuery,
        response: { 200: itemListResponse, ...errors(503) },
      },
    },
    async (request) => {
      return listItems(db, { runId: request.params.id, ...request.query });
    },
  );

  app.post(
    '/runs/:id/cancel',
    {
      schema: {
        summary: 'Cancel a run: its activity aborts its requests and the run ends cancelled',
        tags,
        params: runParams,
        response: { 202: runCancellingResponse, ...errors(404, 409, 503) },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
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
    },
  );
};

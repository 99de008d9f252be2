import { listItems } from '../../db/items-repository.js';
import { findStream } from '../../db/streams-repository.js';
import { InvalidCursorError, listStreamRuns } from '../../temporal/run-history.js';
import { newRunId } from '../../temporal/run-ids.js';
import { activeRunGate, RunAlreadyActiveError } from '../../temporal/active-run-gate.js';
import { startStreamRun } from '../../temporal/runs.js';
import type { AppDeps } from '../app-deps.js';
import { ApiError, notFound, validationError } from '../errors.js';
import { idempotencyKeyOf, startIdempotently } from '../idempotent-start.js';
import { ServerTiming } from '../server-timing.js';
import { errors } from '../openapi/error-responses.js';
import { itemListResponse, runPageResponse, runStartedResponse } from '../openapi/response-schemas.js';
import { idempotencyHeaders, itemPageQuery, runNowQuery, runPageQuery, streamParams } from '../request-schemas.js';
import type { ApiRoutes } from '../type-provider.js';

export const streamRunRoutes: ApiRoutes<AppDeps> = async (app, { db, temporal, metrics }) => {
  const gate = activeRunGate(db, temporal.client);
  app.get(
    '/streams/:id/runs',
    {
      schema: {
        summary: "The stream's runs from Temporal visibility, open ones first, then newest first",
        tags: ['runs'],
        params: streamParams,
        querystring: runPageQuery,
        response: { 200: runPageResponse, ...errors(404, 503) },
      },
    },
    async (request) => {
      const { id } = request.params;
      const { pageSize, cursor } = request.query;
      if (!(await findStream(db, id))) throw notFound('stream', id);
      try {
        return await listStreamRuns(temporal.client, id, { pageSize, cursor });
      } catch (error) {
        if (error instanceof InvalidCursorError)
          throw validationError([{ path: 'query.cursor', message: error.message }]);
        throw error;
      }
    },
  );

  /**
   * Run now. A paused stream can still be run by hand: pausing stops its schedule, not its owner. With an
   * Idempotency-Key, a repeated request (within 24 h) answers the run the first one started: 200, no new run.
   */
  app.post(
    '/streams/:id/runs',
    {
      schema: {
        summary:
          'Run the stream now (200: the run an earlier request with the same Idempotency-Key started, answered again)',
        tags: ['runs'],
        params: streamParams,
        querystring: runNowQuery,
        headers: idempotencyHeaders,
        response: {
          200: runStartedResponse.describe('the run an earlier request with this Idempotency-Key started'),
          202: runStartedResponse,
          ...errors(404, 409, 503),
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const { force } = request.query;
      const key = idempotencyKeyOf(request);
      const timing = new ServerTiming();
      const stream = await timing.measure('stream-read', () => findStream(db, id));
      if (!stream) throw notFound('stream', id);
      let started: { runId: string; replayed: boolean };
      try {
        started = await startIdempotently(
          db,
          key,
          `stream:${stream.id}`,
          newRunId(stream.id),
          async (runId, replay) => {
            // A replay answers its run whatever is going on; the first request is the one that may be refused (409).
            await startStreamRun(temporal, gate, stream, 'manual', {
              force: force === 'true' || replay,
              runId,
              onlyIfNew: true,
              measure: timing.measure,
            });
          },
        );
      } catch (error) {
        if (error instanceof RunAlreadyActiveError) throw new ApiError(409, 'RUN_IN_PROGRESS', error.message);
        throw error;
      }
      timing.applyTo(reply);
      const { runId, replayed } = started;
      if (replayed) {
        request.log.info({ streamId: stream.id, workflowId: runId }, 'run request replayed (same Idempotency-Key)');
        void reply.header('idempotent-replayed', 'true');
      } else {
        metrics?.runsStarted.inc({ task_type: stream.taskType, trigger: 'manual' });
        request.log.info({ streamId: stream.id, workflowId: runId }, 'run started');
      }
      return reply
        .status(replayed ? 200 : 202)
        .header('location', `/runs/${runId}`)
        .send({ runId, streamId: stream.id, status: 'running', statusUrl: `/runs/${runId}` });
    },
  );

  app.get(
    '/streams/:id/items',
    {
      schema: {
        summary: 'Items the stream found, newest first',
        tags: ['items'],
        params: streamParams,
        querystring: itemPageQuery,
        response: { 200: itemListResponse, ...errors(404, 503) },
      },
    },
    async (request) => {
      const { id } = request.params;
      if (!(await findStream(db, id))) throw notFound('stream', id);
      return listItems(db, { streamId: id, ...request.query });
    },
  );
};

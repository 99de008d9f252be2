import type { FastifyPluginAsync } from 'fastify';
import { listItems } from '../../db/items-repository.js';
import { cancelRun, describeRun, RunNotRunningError } from '../../temporal/runs.js';
import type { AppDeps } from '../app-deps.js';
import { ApiError, notFound } from '../errors.js';
import { parseRequest } from '../parse.js';
import { itemPageQuery, runParams } from '../request-schemas.js';


export const runRoutes: FastifyPluginAsync<AppDeps> = async (app, { db, temporal }) => {
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

import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { runPolicySchema } from '../../../schemas/run-policy.js';
import { findTaskDefinition, taskTypes } from '../../../schemas/tasks/index.js';
import { toFieldIssues } from '../../../schemas/validation.js';
import { listItems } from '../../db/items-repository.js';
import { ensureSourceNamed, findSource } from '../../db/sources-repository.js';
import { findStream, insertStream, listStreams, StreamNameTakenError } from '../../db/streams-repository.js';
import { InvalidCursorError, listStreamRuns } from '../../temporal/run-history.js';
import { startStreamRun } from '../../temporal/runs.js';
import type { AppDeps } from '../app-deps.js';
import { ApiError, notFound, validationError } from '../errors.js';
import { parseRequest } from '../parse.js';

const createStreamBody = z
  .object({
    name: z.string().trim().min(1).max(200),
    type: z.string().min(1),
    config: z.record(z.string(), z.unknown()),
    /** Items are de-duplicated per source; without one, the stream gets a source of its own name. */
    sourceId: z.string().min(1).optional(),
    /** Overrides of the task's timeouts and retry policy, within bounds. */
    runPolicy: runPolicySchema.optional(),
  })
  .strict();

const streamParams = z.object({ id: z.string().min(1) });
const runPageQuery = z.object({
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().min(1).optional(),
});
const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const streamRoutes: FastifyPluginAsync<AppDeps> = async (app, { db, temporal }) => {
  app.post('/streams', async (request, reply) => {
    const body = parseRequest(createStreamBody, request.body, 'body');
    const task = findTaskDefinition(body.type);
    if (!task) {
      throw validationError([{ path: 'body.type', message: `unknown task type "${body.type}" (known: ${taskTypes.join(', ')})` }]);
    }
    const config = task.configSchema.safeParse(body.config);
    if (!config.success) throw validationError(toFieldIssues(config.error, 'body.config'));
    let sourceId = body.sourceId;
    if (sourceId) {
      if (!(await findSource(db, sourceId))) throw validationError([{ path: 'body.sourceId', message: `no source ${sourceId}` }]);
    } else {
      sourceId = (await ensureSourceNamed(db, body.name)).id;
    }
    try {
      const stream = await insertStream(db, { name: body.name, taskType: task.type, config: config.data, sourceId, runPolicy: body.runPolicy });
      return reply.status(201).header('location', `/streams/${stream.id}`).send(stream);
    } catch (error) {
      if (error instanceof StreamNameTakenError) throw new ApiError(409, 'STREAM_NAME_TAKEN', error.message);
      throw error;
    }
  });

  app.get('/streams', async (request) => {
    const page = parseRequest(pageQuery, request.query, 'query');
    return { streams: await listStreams(db, page), ...page };
  });

  app.get('/streams/:id', async (request) => {
    const { id } = parseRequest(streamParams, request.params, 'params');
    const stream = await findStream(db, id);
    if (!stream) throw notFound('stream', id);
    return stream;
  });

  app.get('/streams/:id/items', async (request) => {
    const { id } = parseRequest(streamParams, request.params, 'params');
    const page = parseRequest(pageQuery, request.query, 'query');
    if (!(await findStream(db, id))) throw notFound('stream', id);
    return { items: await listItems(db, { streamId: id, ...page }), ...page };
  });

  app.get('/streams/:id/runs', async (request) => {
    const { id } = parseRequest(streamParams, request.params, 'params');
    const { pageSize, cursor } = parseRequest(runPageQuery, request.query, 'query');
    if (!(await findStream(db, id))) throw notFound('stream', id);
    try {
      return await listStreamRuns(temporal.client, id, { pageSize, cursor });
    } catch (error) {
      if (error instanceof InvalidCursorError) throw validationError([{ path: 'query.cursor', message: error.message }]);
      throw error;
    }
  });

  app.post('/streams/:id/runs', async (request, reply) => {
    const { id } = parseRequest(streamParams, request.params, 'params');
    const stream = await findStream(db, id);
    if (!stream) throw notFound('stream', id);
    const runId = await startStreamRun(temporal, stream, 'manual');
    request.log.info({ streamId: stream.id, workflowId: runId }, 'run started');
    return reply.status(202).header('location', `/runs/${runId}`).send({ runId, streamId: stream.id, status: 'running', statusUrl: `/runs/${runId}` });
  });
};

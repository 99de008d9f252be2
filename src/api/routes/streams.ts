import { z } from 'zod';
import { ensureSourceNamed, findSource } from '../../db/sources-repository.js';
import {
  deleteStream,
  findStream,
  insertStream,
  listStreams,
  recordScheduleOutcome,
  setStreamStatus,
  StreamNameTakenError,
  updateStream,
  type Stream,
} from '../../db/streams-repository.js';
import { deleteStreamSchedule, scheduleErrorMessage, syncStreamSchedule } from '../../temporal/schedules.js';
import type { AppDeps } from '../app-deps.js';
import type { ApiRoutes } from '../type-provider.js';
import { ApiError, notFound, validationError } from '../errors.js';
import { errors } from '../openapi/error-responses.js';
import { streamListResponse, streamResponse } from '../openapi/response-schemas.js';
import {
  createStreamBody,
  pauseBody,
  streamListQuery,
  streamParams,
  updateStreamBody,
  validTaskConfig,
} from '../request-schemas.js';

const tags = ['streams'];

export const streamRoutes: ApiRoutes<AppDeps> = async (app, { db, temporal }) => {
  /**
   * The database is the truth; a schedule that could not follow is recorded on the stream
   * (scheduleStatus error, with the reason) and fixed by the next change or reconcile. Returns the
   * stream as it now reads.
   */
  async function followWithSchedule(stream: Stream): Promise<Stream> {
    try {
      await syncStreamSchedule(temporal.client, stream, temporal.taskQueue);
    } catch (error) {
      app.log.error({ err: error, streamId: stream.id }, 'schedule sync failed');
      await recordScheduleOutcome(db, stream.id, { status: 'error', error: scheduleErrorMessage(error) });
      throw new ApiError(
        503,
        'SCHEDULE_SYNC_FAILED',
        `the stream ${stream.id} is saved, but Temporal could not update its schedule (GET the stream for the reason); the API retries it every few seconds, and at the next change or start`,
      );
    }
    if (stream.scheduleStatus === 'ok') return stream;
    return (await recordScheduleOutcome(db, stream.id, { status: 'ok' })) ?? stream;
  }

  async function existingStream(id: string): Promise<Stream> {
    const stream = await findStream(db, id);
    if (!stream) throw notFound('stream', id);
    return stream;
  }

  app.post(
    '/streams',
    {
      schema: {
        summary: 'Create a stream (and its schedule when it has a frequency)',
        tags,
        body: createStreamBody,
        response: { 201: streamResponse, ...errors(409, 503) },
      },
    },
    async (request, reply) => {
      const { body } = request;
      const { config } = body;
      if (body.sourceId && !(await findSource(db, body.sourceId)))
        throw validationError([{ path: 'body.sourceId', message: `no source ${body.sourceId}` }]);
      let stream: Stream;
      try {
        // One transaction: a stream refused for its name leaves no source of that name behind.
        stream = await db.transaction().execute(async (tx) => {
          const sourceId = body.sourceId ?? (await ensureSourceNamed(tx, body.name)).id;
          return insertStream(tx, { ...body, taskType: body.type, config, sourceId });
        });
      } catch (error) {
        if (error instanceof StreamNameTakenError) throw new ApiError(409, 'STREAM_NAME_TAKEN', error.message);
        throw error;
      }
      if (stream.frequency) stream = await followWithSchedule(stream);
      return reply.status(201).header('location', `/streams/${stream.id}`).send(stream);
    },
  );

  app.get(
    '/streams',
    {
      schema: {
        summary: 'List streams',
        tags,
        querystring: streamListQuery,
        response: { 200: streamListResponse, ...errors(503) },
      },
    },
    async (request) => {
      const { type, status, health, limit, cursor } = request.query;
      return listStreams(db, { limit, after: cursor, taskType: type, status, health });
    },
  );

  app.get(
    '/streams/:id',
    {
      schema: {
        summary: 'Get a stream',
        tags,
        params: streamParams,
        response: { 200: streamResponse, ...errors(404, 503) },
      },
    },
    async (request) => existingStream(request.params.id),
  );

  app.patch(
    '/streams/:id',
    {
      schema: {
        summary: 'Change a stream (its schedule follows)',
        tags,
        params: streamParams,
        body: updateStreamBody,
        response: { 200: streamResponse, ...errors(404, 409, 503) },
      },
    },
    async (request) => {
      const { id } = request.params;
      const changes = request.body;
      const stream = await existingStream(id);
      const config = changes.config === undefined ? undefined : validTaskConfig(stream.taskType, changes.config);
      let updated: Stream | undefined;
      try {
        updated = await updateStream(db, id, { ...changes, config });
      } catch (error) {
        if (error instanceof StreamNameTakenError) throw new ApiError(409, 'STREAM_NAME_TAKEN', error.message);
        throw error;
      }
      if (!updated) throw notFound('stream', id);
      return followWithSchedule(updated);
    },
  );

  app.delete(
    '/streams/:id',
    {
      schema: {
        summary: 'Delete a stream and its schedule (its items stay)',
        tags,
        params: streamParams,
        response: { 204: z.undefined(), ...errors(404, 503) },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      await existingStream(id);
      await deleteStreamSchedule(temporal.client, id);
      await deleteStream(db, id);
      return reply.status(204).send();
    },
  );

  app.post(
    '/streams/:id/pause',
    {
      schema: {
        summary: "Pause the stream's schedule, with a note",
        tags,
        params: streamParams,
        body: pauseBody,
        response: { 200: streamResponse, ...errors(404, 503) },
      },
    },
    async (request) => {
      const { id } = request.params;
      await existingStream(id);
      const paused = (await setStreamStatus(db, id, 'paused', request.body.note ?? null))!;
      return followWithSchedule(paused);
    },
  );

  app.post(
    '/streams/:id/resume',
    {
      schema: {
        summary: "Resume the stream's schedule",
        tags,
        params: streamParams,
        response: { 200: streamResponse, ...errors(404, 503) },
      },
    },
    async (request) => {
      const { id } = request.params;
      await existingStream(id);
      const resumed = (await setStreamStatus(db, id, 'active', null))!;
      return followWithSchedule(resumed);
    },
  );
};

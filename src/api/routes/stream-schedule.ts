import type { FastifyPluginAsync } from 'fastify';
import { findStream } from '../../db/streams-repository.js';
import { describeStreamSchedule } from '../../temporal/schedules.js';
import type { AppDeps } from '../app-deps.js';
import { notFound } from '../errors.js';
import { parseRequest } from '../parse.js';
import { streamParams } from '../request-schemas.js';

/**
 * GET /streams/:id/schedule: when the stream fires next, from its Temporal schedule. Apart from
 * GET /streams because it costs a Temporal round trip per stream, which a list should not pay.
 */
export const streamScheduleRoutes: FastifyPluginAsync<AppDeps> = async (app, { db, temporal }) => {
  app.get('/streams/:id/schedule', async (request) => {
    const { id } = parseRequest(streamParams, request.params, 'params');
    const stream = await findStream(db, id);
    if (!stream) throw notFound('stream', id);
    const schedule = stream.frequency ? await describeStreamSchedule(temporal.client, id) : undefined;
    return {
      streamId: id,
      frequency: stream.frequency,
      scheduled: schedule !== undefined,
      paused: schedule?.paused ?? false,
      note: schedule?.note ?? null,
      nextFireTimes: schedule?.nextFireTimes ?? [],
    };
  });
};

import { findStream } from '../../db/streams-repository.js';
import { describeStreamSchedule } from '../../temporal/schedules.js';
import type { AppDeps } from '../app-deps.js';
import { notFound } from '../errors.js';
import { errors } from '../openapi/error-responses.js';
import { streamScheduleResponse } from '../openapi/response-schemas.js';
import { streamParams } from '../request-schemas.js';
import type { ApiRoutes } from '../type-provider.js';

/**
 * GET /streams/:id/schedule: when the stream fires next, from its Temporal schedule. Apart from
 * GET /streams because it costs a Temporal round trip per stream, which a list should not pay.
 */
export const streamScheduleRoutes: ApiRoutes<AppDeps> = async (app, { db, temporal }) => {
  app.get(
    '/streams/:id/schedule',
    {
      schema: {
        summary: "A stream's schedule as Temporal holds it: paused or not, its note, the next fire times",
        tags: ['streams'],
        params: streamParams,
        response: { 200: streamScheduleResponse, ...errors(404, 503) },
      },
    },
    async (request) => {
      const { id } = request.params;
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
    },
  );
};

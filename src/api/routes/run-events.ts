import { z } from 'zod';
import { describeRun } from '../../temporal/runs.js';
import type { AppDeps } from '../app-deps.js';
import { notFound } from '../errors.js';
import { errors } from '../openapi/error-responses.js';
import { runEventsQuery, runParams } from '../request-schemas.js';
import type { ApiRoutes } from '../type-provider.js';

/**
 * GET /runs/:id/events: Server-Sent Events. A `progress` event whenever the run's progress changes, then
 * one `end` event with the closed run, then the stream closes. Clients reconnect to resume watching.
 */
export const runEventRoutes: ApiRoutes<AppDeps> = async (app, { temporal }) => {
  const schema = {
    summary: 'Server-Sent Events: `progress` on every change, then `end` with the closed run',
    tags: ['runs'],
    params: runParams,
    querystring: runEventsQuery,
    response: {
      200: {
        description: 'event: progress / end / error lines, each with a JSON data line',
        // Each event's data line is a JSON object (schemathesis checks every event's data against this schema).
        content: { 'text/event-stream': { schema: z.record(z.string(), z.unknown()) } },
      },
      ...errors(404, 503),
    },
  };
  app.get('/runs/:id/events', { schema }, async (request, reply) => {
    const { id } = request.params;
    const { intervalMs } = request.query;
    let run = await describeRun(temporal.client, id);
    if (!run) throw notFound('run', id);

    reply.hijack();
    reply.raw.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    let clientGone = false;
    request.raw.on('close', () => (clientGone = true));
    const send = (event: string, data: unknown) =>
      reply.raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);

    let lastProgress = '';
    try {
      while (!clientGone && run.status === 'running') {
        const progress = JSON.stringify(run.progress);
        if (progress !== lastProgress) {
          send('progress', { id: run.id, status: run.status, progress: run.progress });
          lastProgress = progress;
        }
        await new Promise((resolve) => setTimeout(resolve, intervalMs));
        const next = await describeRun(temporal.client, id);
        // Gone from Temporal (retention ended) while we watched: nothing more to report.
        if (!next) break;
        run = next;
      }
      if (!clientGone) send('end', run);
    } catch (error) {
      request.log.warn({ err: error, workflowId: id }, 'run event stream failed');
      if (!clientGone) send('error', { code: 'EVENTS_FAILED', message: 'could not read the run; reconnect to retry' });
    } finally {
      reply.raw.end();
    }
  });
};

import { findStream } from '../../db/streams-repository.js';
import { fireLedger, LedgerTooLargeError } from '../../temporal/fire-ledger.js';
import type { AppDeps } from '../app-deps.js';
import { notFound, validationError } from '../errors.js';
import { errors } from '../openapi/error-responses.js';
import { fireLedgerResponse } from '../openapi/response-schemas.js';
import { fireLedgerQuery, streamParams } from '../request-schemas.js';
import type { ApiRoutes } from '../type-provider.js';

/** GET /streams/:id/fires: every fire the schedule should have made in a window, and what became of it. */
export const streamFireRoutes: ApiRoutes<AppDeps> = async (app, { db, temporal }) => {
  app.get(
    '/streams/:id/fires',
    {
      schema: {
        summary: "Every fire a stream's schedule should have made in a window, and what became of it",
        tags: ['streams'],
        params: streamParams,
        querystring: fireLedgerQuery,
        response: { 200: fireLedgerResponse, ...errors(404, 503) },
      },
    },
    async (request) => {
      const { id } = request.params;
      const stream = await findStream(db, id);
      if (!stream) throw notFound('stream', id);
      try {
        return await fireLedger(temporal.client, db, stream, request.query);
      } catch (error) {
        if (error instanceof LedgerTooLargeError)
          throw validationError([{ path: 'query.since', message: error.message }]);
        throw error;
      }
    },
  );
};

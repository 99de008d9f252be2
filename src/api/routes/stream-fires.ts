import type { FastifyPluginAsync } from 'fastify';
import { findStream } from '../../db/streams-repository.js';
import { fireLedger, LedgerTooLargeError } from '../../temporal/fire-ledger.js';
import type { AppDeps } from '../app-deps.js';
import { notFound, validationError } from '../errors.js';
import { parseRequest } from '../parse.js';
import { fireLedgerQuery, streamParams } from '../request-schemas.js';

/** GET /streams/:id/fires: every fire the schedule should have made in a window, and what became of it. */
export const streamFireRoutes: FastifyPluginAsync<AppDeps> = async (app, { db, temporal }) => {
  app.get('/streams/:id/fires', async (request) => {
    const { id } = parseRequest(streamParams, request.params, 'params');
    const window = parseRequest(fireLedgerQuery, request.query, 'query');
    const stream = await findStream(db, id);
    if (!stream) throw notFound('stream', id);
    try {
      return await fireLedger(temporal.client, db, stream, window);
    } catch (error) {
      if (error instanceof LedgerTooLargeError)
        throw validationError([{ path: 'query.since', message: error.message }]);
      throw error;
    }
  });
};

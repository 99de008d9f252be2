import { z } from 'zod';
import {
  PublicationStateError,
  resolveUnknownPublication,
  searchPublications,
} from '../../db/publications-repository.js';
import type { AppDeps } from '../app-deps.js';
import { ApiError, notFound } from '../errors.js';
import { errors } from '../openapi/error-responses.js';
import { publicationResponse, publicationSearchResponse } from '../openapi/response-schemas.js';
import { publicationParams, publicationSearchQuery, resolvePublicationBody } from '../request-schemas.js';
import type { ApiRoutes } from '../type-provider.js';

const tags = ['items'];

export const publicationRoutes: ApiRoutes<AppDeps> = async (app, { db }) => {
  const searchSchema = {
    summary: 'What publishing streams sent (or tried to), by stream, run, channel and status, newest first',
    tags,
    querystring: publicationSearchQuery,
    response: { 200: publicationSearchResponse, ...errors(503) },
  };
  app.get('/publications', { schema: searchSchema }, async (request) => searchPublications(db, request.query));

  // An `unknown` publication waits for a person who looked at the channel; this records what they saw.
  const resolveSchema = {
    summary:
      'Record what the channel shows for an unknown publication: sent (kept), or not_sent (204; the next run sends it again)',
    tags,
    params: publicationParams,
    body: resolvePublicationBody,
    response: {
      200: publicationResponse.describe('sent: the publication, now recorded as sent'),
      204: z.undefined().describe('not_sent: the record is gone and the next run sends it again'),
      ...errors(404, 409, 503),
    },
  };
  app.post('/publications/:id/resolve', { schema: resolveSchema }, async (request, reply) => {
    const { id } = request.params;
    const { body } = request;
    const resolved = await resolveUnknownPublication(db, id, body).catch((error: unknown) => {
      if (error instanceof PublicationStateError) throw new ApiError(409, 'PUBLICATION_NOT_UNKNOWN', error.message);
      throw error;
    });
    if (!resolved) throw notFound('publication', String(id));
    request.log.info({ publicationId: id, outcome: body.outcome }, 'unknown publication resolved');
    return resolved.outcome === 'sent' ? resolved.publication : reply.status(204).send();
  });
};

import type { FastifyPluginAsync } from 'fastify';
import {
  PublicationStateError,
  resolveUnknownPublication,
  searchPublications,
} from '../../db/publications-repository.js';
import type { AppDeps } from '../app-deps.js';
import { parseRequest } from '../parse.js';
import { ApiError, notFound } from '../errors.js';
import { publicationParams, publicationSearchQuery, resolvePublicationBody } from '../request-schemas.js';

export const publicationRoutes: FastifyPluginAsync<AppDeps> = async (app, { db }) => {
  app.get('/publications', async (request) => {
    const search = parseRequest(publicationSearchQuery, request.query, 'query');
    return searchPublications(db, search);
  });

  // An `unknown` publication waits for a person who looked at the channel; this records what they saw.
  app.post('/publications/:id/resolve', async (request, reply) => {
    const { id } = parseRequest(publicationParams, request.params, 'params');
    const body = parseRequest(resolvePublicationBody, request.body, 'body');
    const resolved = await resolveUnknownPublication(db, id, body).catch((error: unknown) => {
      if (error instanceof PublicationStateError) throw new ApiError(409, 'PUBLICATION_NOT_UNKNOWN', error.message);
      throw error;
    });
    if (!resolved) throw notFound('publication', String(id));
    request.log.info({ publicationId: id, outcome: body.outcome }, 'unknown publication resolved');
    return resolved.outcome === 'sent' ? resolved.publication : reply.status(204).send();
  });
};

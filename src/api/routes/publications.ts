import type { FastifyPluginAsync } from 'fastify';
import { searchPublications } from '../../db/publications-repository.js';
import type { AppDeps } from '../app-deps.js';
import { parseRequest } from '../parse.js';
import { publicationSearchQuery } from '../request-schemas.js';

export const publicationRoutes: FastifyPluginAsync<AppDeps> = async (app, { db }) => {
  app.get('/publications', async (request) => {
    const search = parseRequest(publicationSearchQuery, request.query, 'query');
    return searchPublications(db, search);
  });
};

import type { FastifyPluginAsync } from 'fastify';
import { searchItems } from '../../db/items-repository.js';
import type { AppDeps } from '../app-deps.js';
import { parseRequest } from '../parse.js';
import { itemSearchQuery } from '../request-schemas.js';

export const itemRoutes: FastifyPluginAsync<AppDeps> = async (app, { db }) => {
  app.get('/items', async (request) => {
    const search = parseRequest(itemSearchQuery, request.query, 'query');
    return searchItems(db, search);
  });
};

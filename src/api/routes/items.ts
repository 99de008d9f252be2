import { searchItems } from '../../db/items-repository.js';
import type { AppDeps } from '../app-deps.js';
import { errors } from '../openapi/error-responses.js';
import { itemSearchResponse } from '../openapi/response-schemas.js';
import { itemSearchQuery } from '../request-schemas.js';
import type { ApiRoutes } from '../type-provider.js';

export const itemRoutes: ApiRoutes<AppDeps> = async (app, { db }) => {
  const schema = {
    summary: 'Search items by source, stream, time range and text, newest first',
    tags: ['items'],
    querystring: itemSearchQuery,
    response: { 200: itemSearchResponse, ...errors(503) },
  };
  app.get('/items', { schema }, async (request) => searchItems(db, request.query));
};

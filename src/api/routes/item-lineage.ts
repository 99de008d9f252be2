import { itemLineage } from '../../db/item-lineage.js';
import type { AppDeps } from '../app-deps.js';
import { notFound } from '../errors.js';
import { errors } from '../openapi/error-responses.js';
import { itemLineageResponse } from '../openapi/response-schemas.js';
import { itemParams } from '../request-schemas.js';
import type { ApiRoutes } from '../type-provider.js';

/** GET /items/:id/lineage: where an item came from, what happened to it, and why it was or was not posted. */
export const itemLineageRoutes: ApiRoutes<AppDeps> = async (app, { db }) => {
  app.get(
    '/items/:id/lineage',
    {
      schema: {
        summary: "An item's story: first seen, seen again, parse_now, publications, and why it was or was not posted",
        tags: ['items'],
        params: itemParams,
        response: { 200: itemLineageResponse, ...errors(404, 503) },
      },
    },
    async (request) => {
      const { id } = request.params;
      const lineage = await itemLineage(db, id);
      if (!lineage) throw notFound('item', String(id));
      return lineage;
    },
  );
};

import type { FastifyPluginAsync } from 'fastify';
import { itemLineage } from '../../db/item-lineage.js';
import type { AppDeps } from '../app-deps.js';
import { notFound } from '../errors.js';
import { parseRequest } from '../parse.js';
import { itemParams } from '../request-schemas.js';

/** GET /items/:id/lineage: where an item came from, what happened to it, and why it was or was not posted. */
export const itemLineageRoutes: FastifyPluginAsync<AppDeps> = async (app, { db }) => {
  app.get('/items/:id/lineage', async (request) => {
    const { id } = parseRequest(itemParams, request.params, 'params');
    const lineage = await itemLineage(db, id);
    if (!lineage) throw notFound('item', String(id));
    return lineage;
  });
};

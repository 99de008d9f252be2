import type { FastifyPluginAsync } from 'fastify';
import { buildOpenApiDocument } from '../openapi/document.js';

export const docsRoutes: FastifyPluginAsync = async (app) => {
  const document = buildOpenApiDocument();
  app.get('/docs', async () => document);
};

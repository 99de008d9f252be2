import type { FastifyPluginAsync } from 'fastify';
import {
  deleteSource,
  findSource,
  insertSource,
  listSources,
  SourceConflictError,
  updateSource,
} from '../../db/sources-repository.js';
import type { AppDeps } from '../app-deps.js';
import { ApiError, notFound } from '../errors.js';
import { parseRequest } from '../parse.js';
import { createSourceBody, sourceListQuery, sourceParams, updateSourceBody } from '../request-schemas.js';

/** Sources are what items are de-duplicated within: one site, fed by any number of streams. */
export const sourceRoutes: FastifyPluginAsync<AppDeps> = async (app, { db }) => {
  const conflict = (error: unknown): never => {
    if (error instanceof SourceConflictError) throw new ApiError(409, 'SOURCE_CONFLICT', error.message);
    throw error;
  };

  app.post('/sources', async (request, reply) => {
    const body = parseRequest(createSourceBody, request.body, 'body');
    const source = await insertSource(db, body).catch(conflict);
    return reply.status(201).header('location', `/sources/${source.id}`).send(source);
  });

  app.get('/sources', async (request) => {
    const page = parseRequest(sourceListQuery, request.query, 'query');
    return { sources: await listSources(db, page), ...page };
  });

  app.get('/sources/:id', async (request) => {
    const { id } = parseRequest(sourceParams, request.params, 'params');
    const source = await findSource(db, id);
    if (!source) throw notFound('source', id);
    return source;
  });

  app.patch('/sources/:id', async (request) => {
    const { id } = parseRequest(sourceParams, request.params, 'params');
    const changes = parseRequest(updateSourceBody, request.body, 'body');
    if (!(await findSource(db, id))) throw notFound('source', id);
    return (await updateSource(db, id, changes).catch(conflict))!;
  });

  app.delete('/sources/:id', async (request, reply) => {
    const { id } = parseRequest(sourceParams, request.params, 'params');
    if (!(await findSource(db, id))) throw notFound('source', id);
    await deleteSource(db, id).catch(conflict);
    return reply.status(204).send();
  });
};

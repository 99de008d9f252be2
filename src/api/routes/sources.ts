import { z } from 'zod';
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
import { errors } from '../openapi/error-responses.js';
import { sourceListResponse, sourceResponse } from '../openapi/response-schemas.js';
import { createSourceBody, sourceListQuery, sourceParams, updateSourceBody } from '../request-schemas.js';
import type { ApiRoutes } from '../type-provider.js';

const tags = ['sources'];

/** Sources are what items are de-duplicated within: one site, fed by any number of streams. */
export const sourceRoutes: ApiRoutes<AppDeps> = async (app, { db }) => {
  const conflict = (error: unknown): never => {
    if (error instanceof SourceConflictError) throw new ApiError(409, 'SOURCE_CONFLICT', error.message);
    throw error;
  };

  const createSchema = {
    summary: 'Create a source (items are de-duplicated per source)',
    tags,
    body: createSourceBody,
    response: { 201: sourceResponse, ...errors(409, 503) },
  };
  app.post('/sources', { schema: createSchema }, async (request, reply) => {
    const source = await insertSource(db, request.body).catch(conflict);
    return reply.status(201).header('location', `/sources/${source.id}`).send(source);
  });

  const listSchema = {
    summary: 'List sources',
    tags,
    querystring: sourceListQuery,
    response: { 200: sourceListResponse, ...errors(503) },
  };
  app.get('/sources', { schema: listSchema }, async (request) => {
    const { limit, cursor } = request.query;
    return listSources(db, { limit, after: cursor });
  });

  const getSchema = {
    summary: 'Get a source',
    tags,
    params: sourceParams,
    response: { 200: sourceResponse, ...errors(404, 503) },
  };
  app.get('/sources/:id', { schema: getSchema }, async (request) => {
    const { id } = request.params;
    const source = await findSource(db, id);
    if (!source) throw notFound('source', id);
    return source;
  });

  const patchSchema = {
    summary: 'Rename a source or change its site',
    tags,
    params: sourceParams,
    body: updateSourceBody,
    response: { 200: sourceResponse, ...errors(404, 409, 503) },
  };
  app.patch('/sources/:id', { schema: patchSchema }, async (request) => {
    const { id } = request.params;
    const changes = request.body;
    if (!(await findSource(db, id))) throw notFound('source', id);
    return (await updateSource(db, id, changes).catch(conflict))!;
  });

  const deleteSchema = {
    summary: 'Delete a source no stream or item refers to',
    tags,
    params: sourceParams,
    response: { 204: z.undefined(), ...errors(404, 409, 503) },
  };
  app.delete('/sources/:id', { schema: deleteSchema }, async (request, reply) => {
    const { id } = request.params;
    if (!(await findSource(db, id))) throw notFound('source', id);
    await deleteSource(db, id).catch(conflict);
    return reply.status(204).send();
  });
};

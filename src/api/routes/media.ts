import { z } from 'zod';
import type { Database } from '../../db/database.js';
import { existingSourceIds } from '../../db/sources-repository.js';
import {
  deleteMedia,
  findMedia,
  insertMedia,
  listMedia,
  MediaConflictError,
  updateMedia,
} from '../../db/media-repository.js';
import type { AppDeps } from '../app-deps.js';
import { ApiError, notFound, validationError } from '../errors.js';
import { errors } from '../openapi/error-responses.js';
import { mediaListResponse, mediaResponse } from '../openapi/response-schemas.js';
import { createMediaBody, mediaListQuery, mediaParams, updateMediaBody } from '../request-schemas.js';
import type { ApiRoutes } from '../type-provider.js';

const tags = ['media'];

/** A medium is an outlet: the sources news_stream writes from, the style it writes in, the docs it gets. */
export const mediaRoutes: ApiRoutes<AppDeps> = async (app, { db }) => {
  const conflict = (error: unknown): never => {
    if (error instanceof MediaConflictError) throw new ApiError(409, 'MEDIA_CONFLICT', error.message);
    throw error;
  };

  const createSchema = {
    summary: 'Create a medium: the sources it writes from and examples of its style',
    tags,
    body: createMediaBody,
    response: { 201: mediaResponse, ...errors(409, 503) },
  };
  app.post('/media', { schema: createSchema }, async (request, reply) => {
    const { body } = request;
    await requireSources(db, body.sourceIds);
    const media = await insertMedia(db, body).catch(conflict);
    return reply.status(201).header('location', `/media/${media.id}`).send(media);
  });

  const listSchema = {
    summary: 'List media',
    tags,
    querystring: mediaListQuery,
    response: { 200: mediaListResponse, ...errors(503) },
  };
  app.get('/media', { schema: listSchema }, async (request) => {
    const { limit, cursor } = request.query;
    return listMedia(db, { limit, after: cursor });
  });

  const getSchema = {
    summary: 'Get a medium',
    tags,
    params: mediaParams,
    response: { 200: mediaResponse, ...errors(404, 503) },
  };
  app.get('/media/:id', { schema: getSchema }, async (request) => {
    const { id } = request.params;
    const media = await findMedia(db, id);
    if (!media) throw notFound('medium', id);
    return media;
  });

  const patchSchema = {
    summary: "Change a medium's name, sources or style examples",
    tags,
    params: mediaParams,
    body: updateMediaBody,
    response: { 200: mediaResponse, ...errors(404, 409, 503) },
  };
  app.patch('/media/:id', { schema: patchSchema }, async (request) => {
    const { id } = request.params;
    const changes = request.body;
    if (!(await findMedia(db, id))) throw notFound('medium', id);
    if (changes.sourceIds) await requireSources(db, changes.sourceIds);
    return (await updateMedia(db, id, changes).catch(conflict))!;
  });

  const deleteSchema = {
    summary: 'Delete a medium that has no docs',
    tags,
    params: mediaParams,
    response: { 204: z.undefined(), ...errors(404, 409, 503) },
  };
  app.delete('/media/:id', { schema: deleteSchema }, async (request, reply) => {
    const { id } = request.params;
    if (!(await findMedia(db, id))) throw notFound('medium', id);
    await deleteMedia(db, id).catch(conflict);
    return reply.status(204).send();
  });
};

async function requireSources(db: Database, ids: string[]): Promise<void> {
  const known = new Set(await existingSourceIds(db, ids));
  const issues = ids.flatMap((id, index) =>
    known.has(id) ? [] : [{ path: `body.sourceIds.${index}`, message: `no source ${id}` }],
  );
  if (issues.length > 0) throw validationError(issues);
}

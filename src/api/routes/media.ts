import type { FastifyPluginAsync } from 'fastify';
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
import { parseRequest } from '../parse.js';
import { createMediaBody, mediaListQuery, mediaParams, updateMediaBody } from '../request-schemas.js';

/** A medium is an outlet: the sources news_stream writes from, the style it writes in, the docs it gets. */
export const mediaRoutes: FastifyPluginAsync<AppDeps> = async (app, { db }) => {
  const conflict = (error: unknown): never => {
    if (error instanceof MediaConflictError) throw new ApiError(409, 'MEDIA_CONFLICT', error.message);
    throw error;
  };

  app.post('/media', async (request, reply) => {
    const body = parseRequest(createMediaBody, request.body, 'body');
    await requireSources(db, body.sourceIds);
    const media = await insertMedia(db, body).catch(conflict);
    return reply.status(201).header('location', `/media/${media.id}`).send(media);
  });

  app.get('/media', async (request) => {
    const page = parseRequest(mediaListQuery, request.query, 'query');
    return { media: await listMedia(db, page), ...page };
  });

  app.get('/media/:id', async (request) => {
    const { id } = parseRequest(mediaParams, request.params, 'params');
    const media = await findMedia(db, id);
    if (!media) throw notFound('medium', id);
    return media;
  });

  app.patch('/media/:id', async (request) => {
    const { id } = parseRequest(mediaParams, request.params, 'params');
    const changes = parseRequest(updateMediaBody, request.body, 'body');
    if (!(await findMedia(db, id))) throw notFound('medium', id);
    if (changes.sourceIds) await requireSources(db, changes.sourceIds);
    return (await updateMedia(db, id, changes).catch(conflict))!;
  });

  app.delete('/media/:id', async (request, reply) => {
    const { id } = parseRequest(mediaParams, request.params, 'params');
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

import type { FastifyPluginAsync } from 'fastify';
import { findDoc, searchDocs, updateDoc } from '../../db/docs-repository.js';
import type { AppDeps } from '../app-deps.js';
import { notFound } from '../errors.js';
import { parseRequest } from '../parse.js';
import { docParams, docSearchQuery, updateDocBody } from '../request-schemas.js';

/** Docs are written for a medium (news_stream), edited by people, published (doc_publisher). */
export const documentRoutes: FastifyPluginAsync<AppDeps> = async (app, { db }) => {
  app.get('/documents', async (request) => {
    const search = parseRequest(docSearchQuery, request.query, 'query');
    return searchDocs(db, search);
  });

  app.get('/documents/:id', async (request) => {
    const { id } = parseRequest(docParams, request.params, 'params');
    const doc = await findDoc(db, id);
    if (!doc) throw notFound('doc', String(id));
    return doc;
  });

  app.patch('/documents/:id', async (request) => {
    const { id } = parseRequest(docParams, request.params, 'params');
    const changes = parseRequest(updateDocBody, request.body, 'body');
    // Editing a refused doc (or moving it back to new/edit) lets the next publishing run send it again.
    const doc = await updateDoc(db, id, changes);
    if (!doc) throw notFound('doc', String(id));
    return doc;
  });
};

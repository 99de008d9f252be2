import { findDoc, searchDocs, updateDoc } from '../../db/docs-repository.js';
import type { AppDeps } from '../app-deps.js';
import { notFound } from '../errors.js';
import { errors } from '../openapi/error-responses.js';
import { docResponse, docSearchResponse } from '../openapi/response-schemas.js';
import { docParams, docSearchQuery, updateDocBody } from '../request-schemas.js';
import type { ApiRoutes } from '../type-provider.js';

const tags = ['media'];

/** Docs are written for a medium (news_stream), edited by people, published (doc_publisher). */
export const documentRoutes: ApiRoutes<AppDeps> = async (app, { db }) => {
  const searchSchema = {
    summary: 'Search docs by medium, stream, run and status, newest first',
    tags,
    querystring: docSearchQuery,
    response: { 200: docSearchResponse, ...errors(503) },
  };
  app.get('/documents', { schema: searchSchema }, async (request) => searchDocs(db, request.query));

  const getSchema = {
    summary: 'Get a doc',
    tags,
    params: docParams,
    response: { 200: docResponse, ...errors(404, 503) },
  };
  app.get('/documents/:id', { schema: getSchema }, async (request) => {
    const { id } = request.params;
    const doc = await findDoc(db, id);
    if (!doc) throw notFound('doc', String(id));
    return doc;
  });

  const patchSchema = {
    summary: "Edit a doc's title, text or status",
    tags,
    params: docParams,
    body: updateDocBody,
    response: { 200: docResponse, ...errors(404, 503) },
  };
  app.patch('/documents/:id', { schema: patchSchema }, async (request) => {
    const { id } = request.params;
    const changes = request.body;
    // Editing a refused doc (or moving it back to new/edit) lets the next publishing run send it again.
    const doc = await updateDoc(db, id, changes);
    if (!doc) throw notFound('doc', String(id));
    return doc;
  });
};

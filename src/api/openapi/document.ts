import { z } from 'zod';
import {
  adHocRunBody,
  createSourceBody,
  createStreamBody,
  itemPageQuery,
  itemSearchQuery,
  pauseBody,
  createMediaBody,
  docParams,
  docSearchQuery,
  idempotencyHeaders,
  mediaListQuery,
  mediaParams,
  updateDocBody,
  updateMediaBody,
  publicationSearchQuery,
  publicationParams,
  resolvePublicationBody,
  runEventsQuery,
  runNowQuery,
  runPageQuery,
  runParams,
  sourceListQuery,
  sourceParams,
  streamListQuery,
  streamParams,
  updateSourceBody,
  updateStreamBody,
  fireLedgerWindow,
  itemParams,
} from '../request-schemas.js';
import {
  adHocRunStartedResponse,
  errorResponse,
  itemSearchResponse,
  docResponse,
  docSearchResponse,
  mediaListResponse,
  mediaResponse,
  publicationSearchResponse,
  publicationResponse,
  sourceListResponse,
  sourceResponse,
  healthResponse,
  readinessResponse,
  itemListResponse,
  runCancellingResponse,
  runPageResponse,
  runResponse,
  runStartedResponse,
  streamListResponse,
  streamResponse,
  taskCatalogueResponse,
  fireLedgerResponse,
  itemLineageResponse,
} from './response-schemas.js';

interface Operation {
  method: 'get' | 'post' | 'patch' | 'delete';
  /** Fastify form (`/streams/:id`); turned into OpenAPI's `{id}`. */
  url: string;
  summary: string;
  tag: string;
  params?: z.ZodObject;
  query?: z.ZodObject;
  headers?: z.ZodObject;
  body?: z.ZodType;
  /** Status → schema (null: no body). */
  responses: Record<number, z.ZodType | null>;
  /** A non-JSON success answer. */
  produces?: string;
}

const bad = { 400: errorResponse };
const missing = { 404: errorResponse };

/** Every route the API serves; a test checks that Fastify's routes and this list agree. */
export const operations: Operation[] = [
  { method: 'get', url: '/healthz', summary: 'Liveness', tag: 'health', responses: { 200: healthResponse } },
  {
    method: 'get',
    url: '/readyz',
    summary: 'Readiness: the database and Temporal answer',
    tag: 'health',
    responses: { 200: readinessResponse, 503: readinessResponse },
  },
  {
    method: 'get',
    url: '/metrics',
    summary: 'Prometheus metrics of the API process',
    tag: 'health',
    produces: 'text/plain',
    responses: { 200: z.string() },
  },
  {
    method: 'get',
    url: '/docs',
    summary: 'This OpenAPI document',
    tag: 'health',
    responses: { 200: z.record(z.string(), z.unknown()) },
  },
  {
    method: 'get',
    url: '/tasks',
    summary: 'The task catalogue: every task type with its config JSON Schema and an example',
    tag: 'tasks',
    responses: { 200: taskCatalogueResponse },
  },
  {
    method: 'post',
    url: '/sources',
    summary: 'Create a source (items are de-duplicated per source)',
    tag: 'sources',
    body: createSourceBody,
    responses: { 201: sourceResponse, ...bad, 409: errorResponse },
  },
  {
    method: 'get',
    url: '/sources',
    summary: 'List sources',
    tag: 'sources',
    query: sourceListQuery,
    responses: { 200: sourceListResponse, ...bad },
  },
  {
    method: 'get',
    url: '/sources/:id',
    summary: 'Get a source',
    tag: 'sources',
    params: sourceParams,
    responses: { 200: sourceResponse, ...missing },
  },
  {
    method: 'patch',
    url: '/sources/:id',
    summary: 'Rename a source or change its site',
    tag: 'sources',
    params: sourceParams,
    body: updateSourceBody,
    responses: { 200: sourceResponse, ...bad, ...missing, 409: errorResponse },
  },
  {
    method: 'delete',
    url: '/sources/:id',
    summary: 'Delete a source no stream or item refers to',
    tag: 'sources',
    params: sourceParams,
    responses: { 204: null, ...missing, 409: errorResponse },
  },
  {
    method: 'post',
    url: '/media',
    summary: 'Create a medium: the sources it writes from and examples of its style',
    tag: 'media',
    body: createMediaBody,
    responses: { 201: mediaResponse, ...bad, 409: errorResponse },
  },
  {
    method: 'get',
    url: '/media',
    summary: 'List media',
    tag: 'media',
    query: mediaListQuery,
    responses: { 200: mediaListResponse, ...bad },
  },
  {
    method: 'get',
    url: '/media/:id',
    summary: 'Get a medium',
    tag: 'media',
    params: mediaParams,
    responses: { 200: mediaResponse, ...missing },
  },
  {
    method: 'patch',
    url: '/media/:id',
    summary: "Change a medium's name, sources or style examples",
    tag: 'media',
    params: mediaParams,
    body: updateMediaBody,
    responses: { 200: mediaResponse, ...bad, ...missing, 409: errorResponse },
  },
  {
    method: 'delete',
    url: '/media/:id',
    summary: 'Delete a medium that has no docs',
    tag: 'media',
    params: mediaParams,
    responses: { 204: null, ...missing, 409: errorResponse },
  },
  {
    method: 'get',
    url: '/documents',
    summary: 'Search docs by medium, stream, run and status, newest first',
    tag: 'media',
    query: docSearchQuery,
    responses: { 200: docSearchResponse, ...bad },
  },
  {
    method: 'get',
    url: '/documents/:id',
    summary: 'Get a doc',
    tag: 'media',
    params: docParams,
    responses: { 200: docResponse, ...bad, ...missing },
  },
  {
    method: 'patch',
    url: '/documents/:id',
    summary: "Edit a doc's title, text or status",
    tag: 'media',
    params: docParams,
    body: updateDocBody,
    responses: { 200: docResponse, ...bad, ...missing },
  },
  {
    method: 'get',
    url: '/items',
    summary: 'Search items by source, stream, time range and text, newest first',
    tag: 'items',
    query: itemSearchQuery,
    responses: { 200: itemSearchResponse, ...bad },
  },
  {
    method: 'get',
    url: '/items/:id/lineage',
    summary:
      "An item's lineage: the run that first saw it, later sightings, parse_now, publications, and why each publishing stream did or did not post it",
    tag: 'items',
    params: itemParams,
    responses: { 200: itemLineageResponse, ...bad, ...missing },
  },
  {
    method: 'get',
    url: '/publications',
    summary: 'What publishing streams sent (or tried to), by stream, run, channel and status, newest first',
    tag: 'items',
    query: publicationSearchQuery,
    responses: { 200: publicationSearchResponse, ...bad },
  },
  {
    method: 'post',
    url: '/publications/:id/resolve',
    summary:
      'Record what the channel shows for an unknown publication: sent (kept), or not_sent (204; the next run sends it again)',
    tag: 'items',
    params: publicationParams,
    body: resolvePublicationBody,
    responses: { 200: publicationResponse, 204: null, ...bad, ...missing, 409: errorResponse },
  },
  {
    method: 'post',
    url: '/runs',
    summary:
      'Run a task on a config with no stored stream; dryRun previews without saving (200: the run an earlier request with the same Idempotency-Key started)',
    tag: 'runs',
    headers: idempotencyHeaders,
    body: adHocRunBody,
    responses: { 200: adHocRunStartedResponse, 202: adHocRunStartedResponse, ...bad },
  },
  {
    method: 'post',
    url: '/streams',
    summary: 'Create a stream (and its schedule when it has a frequency)',
    tag: 'streams',
    body: createStreamBody,
    responses: { 201: streamResponse, ...bad, 409: errorResponse, 413: errorResponse, 503: errorResponse },
  },
  {
    method: 'get',
    url: '/streams',
    summary: 'List streams',
    tag: 'streams',
    query: streamListQuery,
    responses: { 200: streamListResponse, ...bad },
  },
  {
    method: 'get',
    url: '/streams/:id',
    summary: 'Get a stream',
    tag: 'streams',
    params: streamParams,
    responses: { 200: streamResponse, ...missing },
  },
  {
    method: 'patch',
    url: '/streams/:id',
    summary: 'Change a stream (its schedule follows)',
    tag: 'streams',
    params: streamParams,
    body: updateStreamBody,
    responses: { 200: streamResponse, ...bad, ...missing, 409: errorResponse, 503: errorResponse },
  },
  {
    method: 'delete',
    url: '/streams/:id',
    summary: 'Delete a stream and its schedule (its items stay)',
    tag: 'streams',
    params: streamParams,
    responses: { 204: null, ...missing },
  },
  {
    method: 'post',
    url: '/streams/:id/pause',
    summary: "Pause the stream's schedule, with a note",
    tag: 'streams',
    params: streamParams,
    body: pauseBody,
    responses: { 200: streamResponse, ...bad, ...missing },
  },
  {
    method: 'post',
    url: '/streams/:id/resume',
    summary: "Resume the stream's schedule",
    tag: 'streams',
    params: streamParams,
    responses: { 200: streamResponse, ...missing },
  },
  {
    method: 'get',
    url: '/streams/:id/fires',
    summary:
      "Every fire the stream's schedule should have made in a window (default the last 24 hours, at most 7 days) and what became of it",
    tag: 'runs',
    params: streamParams,
    query: fireLedgerWindow,
    responses: { 200: fireLedgerResponse, ...bad, ...missing },
  },
  {
    method: 'get',
    url: '/streams/:id/runs',
    summary: "The stream's runs from Temporal visibility, open ones first, then newest first",
    tag: 'runs',
    params: streamParams,
    query: runPageQuery,
    responses: { 200: runPageResponse, ...bad, ...missing },
  },
  {
    method: 'post',
    url: '/streams/:id/runs',
    summary:
      'Run the stream now (200: the run an earlier request with the same Idempotency-Key started, answered again)',
    tag: 'runs',
    params: streamParams,
    query: runNowQuery,
    headers: idempotencyHeaders,
    responses: { 200: runStartedResponse, 202: runStartedResponse, ...bad, ...missing, 409: errorResponse },
  },
  {
    method: 'get',
    url: '/streams/:id/items',
    summary: 'Items the stream found, newest first',
    tag: 'items',
    params: streamParams,
    query: itemPageQuery,
    responses: { 200: itemListResponse, ...bad, ...missing },
  },
  {
    method: 'get',
    url: '/runs/:id',
    summary: 'A run: status, live progress, result or error',
    tag: 'runs',
    params: runParams,
    responses: { 200: runResponse, ...missing },
  },
  {
    method: 'get',
    url: '/runs/:id/items',
    summary: 'Items a run found first',
    tag: 'items',
    params: runParams,
    query: itemPageQuery,
    responses: { 200: itemListResponse, ...bad },
  },
  {
    method: 'post',
    url: '/runs/:id/cancel',
    summary: 'Cancel a run: its activity aborts its requests and the run ends cancelled',
    tag: 'runs',
    params: runParams,
    responses: { 202: runCancellingResponse, ...missing, 409: errorResponse },
  },
  {
    method: 'get',
    url: '/runs/:id/events',
    summary: 'Server-Sent Events: `progress` on every change, then `end` with the closed run',
    tag: 'runs',
    params: runParams,
    query: runEventsQuery,
    produces: 'text/event-stream',
    responses: { 200: z.string(), ...missing },
  },
];

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { io, target: 'openapi-3.0', unrepresentable: 'any' });

function parameters(schema: z.ZodObject | undefined, where: 'path' | 'query' | 'header') {
  if (!schema) return [];
  const shape = jsonSchema(schema, 'input') as {
    properties?: Record<string, Record<string, unknown>>;
    required?: string[];
  };
  return Object.entries(shape.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: where,
      required: where === 'path' || (shape.required ?? []).includes(name),
      schema: rest,
      ...(description ? { description } : {}),
    };
  });
}

/** The OpenAPI 3.0 document of the API, built from the same zod schemas the routes validate with. */
export function buildOpenApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const operation of operations) {
    const path = operation.url.replace(/:(\w+)/g, '{$1}');
    paths[path] ??= {};
    paths[path][operation.method] = {
      summary: operation.summary,
      tags: [operation.tag],
      operationId: `${operation.method}${path.replace(/[{}]/g, '').replace(/\/(\w)/g, (_match, letter: string) => letter.toUpperCase())}`,
      parameters: [
        ...parameters(operation.params, 'path'),
        ...parameters(operation.query, 'query'),
        ...parameters(operation.headers, 'header'),
      ],
      ...(operation.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: jsonSchema(operation.body, 'input') } },
            },
          }
        : {}),
      responses: Object.fromEntries(
        Object.entries(operation.responses).map(([status, schema]) => [
          status,
          schema
            ? {
                description: Number(status) < 400 ? 'success' : 'error',
                content: {
                  [Number(status) < 300 && operation.produces ? operation.produces : 'application/json']: {
                    schema: jsonSchema(schema, 'output'),
                  },
                },
              }
            : { description: 'no content' },
        ]),
      ),
    };
  }
  return {
    openapi: '3.0.3',
    info: {
      title: 'NewLoom API',
      version: '0.1.0',
      description: 'Streams (configured collection jobs) and their runs, each a durable Temporal workflow.',
    },
    paths,
  };
}

import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { createJsonSchemaTransform } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isOpenPath } from '../auth.js';
import { RETRY_AFTER_SECONDS } from '../errors.js';
import { errorDescriptions, type ErrorStatus } from './error-responses.js';
import { errorResponse } from './response-schemas.js';

type JsonSchema = Record<string, unknown>;
type RouteSchema = Record<string, unknown> & { response?: Record<string, JsonSchema> };

const zodToJsonSchemas = createJsonSchemaTransform({ skipList: [] });
/** The error answer as JSON Schema, for the statuses the hooks add (the document states its dialect once). */
const errorJsonSchema: JsonSchema = z.toJSONSchema(errorResponse, { io: 'output' });
delete errorJsonSchema.$schema;

const successDescriptions: Record<string, string> = {
  200: 'OK',
  201: 'Created; Location names the new record',
  202: 'Accepted: the run goes on in Temporal; its status is at statusUrl',
  204: 'Done; no content',
};

/** Headers an answer of this status always carries. */
const statusHeaders: Record<string, Record<string, JsonSchema>> = {
  201: { location: { type: 'string', description: 'the new record' } },
  401: { 'www-authenticate': { type: 'string', description: 'Bearer' } },
  503: {
    'retry-after': { type: 'integer', description: `seconds to wait before trying again (${RETRY_AFTER_SECONDS})` },
  },
};

/** Methods whose body Fastify parses: any of them can answer 400 (bad JSON), 413 and 415. */
const bodyMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * One route's part of the document: its zod schemas as JSON Schema, then what the API's hooks add to every
 * route (the statuses they answer, the headers that come with a status, open paths needing no key), so a
 * route declares only its own schema and answers.
 */
function documentRoute(input: Parameters<typeof zodToJsonSchemas>[0]) {
  const { schema, url } = zodToJsonSchemas(input) as { schema: RouteSchema; url: string };
  if (!schema || schema.hide) return { schema, url };
  const method = [input.route.method].flat()[0] ?? 'GET';
  const response: Record<string, JsonSchema> = { ...schema.response };
  const added = new Set<ErrorStatus>();
  const hasInput = ['params', 'querystring', 'headers', 'body'].some((part) => schema[part] !== undefined);
  if (hasInput || bodyMethods.has(method)) added.add(400);
  if (bodyMethods.has(method)) for (const status of [413, 415] as const) added.add(status);
  if (schema.params !== undefined) added.add(414);
  if (!isOpenPath(url)) added.add(401);
  added.add(403);
  for (const status of added) response[status] ??= errorJsonSchema;
  for (const [status, answer] of Object.entries(response)) {
    response[status] = {
      ...answer,
      description: describeStatus(status, answer),
      ...(statusHeaders[status] ? { headers: statusHeaders[status] } : {}),
    };
  }
  return {
    url,
    schema: {
      ...schema,
      response,
      operationId: schema.operationId ?? operationId(method, url),
      ...(isOpenPath(url) ? { security: [] } : {}),
    },
  };
}

function describeStatus(status: string, answer: JsonSchema): string {
  if (typeof answer.description === 'string') return answer.description;
  if (status in errorDescriptions) return errorDescriptions[Number(status) as ErrorStatus];
  return successDescriptions[status] ?? 'OK';
}

/** `post /streams/:id/runs` → `postStreamsIdRuns`: stable, readable names for generated clients. */
function operationId(method: string, url: string): string {
  const words = url
    .split('/')
    .filter(Boolean)
    .map((segment) => segment.replace(/^:/, ''));
  return `${method.toLowerCase()}${words.map((word) => word[0]!.toUpperCase() + word.slice(1)).join('')}`;
}

/** A body whose schema requires no field may be left out (it reads as `{}`; see schema-compilers.ts). */
function markOptionalBodies(document: { paths?: Record<string, Record<string, unknown>> }) {
  for (const operations of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(operations)) {
      const body = (
        operation as { requestBody?: { required?: boolean; content?: Record<string, { schema?: JsonSchema }> } }
      ).requestBody;
      const schema = body?.content?.['application/json']?.schema;
      if (body && schema?.type === 'object' && !(schema.required as unknown[] | undefined)?.length)
        body.required = false;
    }
  }
  return document;
}

const apiDescription = `Streams (configured collection and publishing jobs) and their runs, each a durable Temporal workflow.

Errors answer \`{"error": {"code", "message", "issues"?}}\`: a stable \`code\`, and for a bad input one issue per field path.

Authentication: with \`API_KEYS\` set, every operation but the probes and these docs needs \`Authorization: Bearer <key>\`; a \`read\` key may call GET operations, an \`admin\` key any. Without keys the API is open, to requests addressed to localhost only.`;

/**
 * The OpenAPI document, built by @fastify/swagger from the zod schemas each route declares, and Swagger UI:
 * `GET /docs` (the UI, its assets served from the package: no CDN), `GET /docs/json` and `/docs/yaml`.
 * Register before the routes.
 */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'NewLoom API', version: '0.1.0', description: apiDescription },
      components: {
        securitySchemes: {
          apiKey: {
            type: 'http',
            scheme: 'bearer',
            description: 'An API key from API_KEYS: `read` keys may call GET operations, `admin` keys any.',
          },
        },
      },
      security: [{ apiKey: [] }],
    },
    transform: documentRoute,
    transformObject: (document) =>
      markOptionalBodies(('openapiObject' in document ? document.openapiObject : {}) as never),
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
}

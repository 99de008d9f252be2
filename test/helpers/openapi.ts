import type { FastifyInstance } from 'fastify';

export interface OpenApiOperation {
  requestBody?: { required?: boolean; content: Record<string, { schema: Record<string, unknown> }> };
  parameters?: Array<{ in: string; name: string; required?: boolean; schema: Record<string, unknown> }>;
  responses: Record<string, { content?: Record<string, { schema: Record<string, unknown> }>; headers?: unknown }>;
  security?: unknown[];
  operationId?: string;
}

export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: Record<string, unknown>;
}

/** The document the app serves at /docs/json, as @fastify/swagger builds it from the routes' schemas. */
export async function servedDocument(app: FastifyInstance): Promise<OpenApiDocument> {
  const response = await app.inject({ method: 'GET', url: '/docs/json' });
  if (response.statusCode !== 200) throw new Error(`GET /docs/json answered ${response.statusCode}`);
  return response.json<OpenApiDocument>();
}

/** Every documented operation, with its Fastify-style URL (`/streams/:id`) and what input it takes. */
export function documentedOperations(document: OpenApiDocument) {
  return Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.entries(operations).map(([method, operation]) => ({
      method: method as 'get' | 'post' | 'patch' | 'delete',
      url: path.replace(/\{(\w+)\}/g, ':$1'),
      body: operation.requestBody !== undefined,
      query: (operation.parameters ?? []).some((parameter) => parameter.in === 'query'),
      operation,
    })),
  );
}

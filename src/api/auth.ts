import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from './errors.js';

export const apiKeyScopes = ['read', 'admin'] as const;
export type ApiKeyScope = (typeof apiKeyScopes)[number];

export interface ApiKey {
  scope: ApiKeyScope;
  /** SHA-256 of the key: the key itself is not kept in memory longer than parsing takes. */
  digest: Buffer;
}

/** Paths anyone may read: probes and the API's own description. */
const OPEN_PATHS = new Set(['/healthz', '/readyz', '/docs']);
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const digestKey = (key: string) => createHash('sha256').update(key).digest();

/** Thrown at start for an API_KEYS entry that is not `<scope>:<key>` with a long enough key. */
export class ApiKeyConfigError extends Error {
  override readonly name = 'ApiKeyConfigError';
}

/** Parses API_KEYS: comma-separated `read:<key>` or `admin:<key>` entries. */
export function parseApiKeys(value: string | undefined): ApiKey[] {
  if (!value?.trim()) return [];
  return value.split(',').map((entry, index) => {
    const separator = entry.indexOf(':');
    const scope = entry.slice(0, separator).trim();
    const key = entry.slice(separator + 1).trim();
    if (separator < 0 || !(apiKeyScopes as readonly string[]).includes(scope)) {
      throw new ApiKeyConfigError(`API_KEYS entry ${index + 1}: expected "read:<key>" or "admin:<key>"`);
    }
    if (key.length < 24) throw new ApiKeyConfigError(`API_KEYS entry ${index + 1}: the key must be at least 24 characters`);
    return { scope: scope as ApiKeyScope, digest: digestKey(key) };
  });
}

/** The key's scope, comparing digests in constant time against every configured key. */
function scopeOf(presented: string, keys: ApiKey[]): ApiKeyScope | undefined {
  const digest = digestKey(presented);
  let found: ApiKeyScope | undefined;
  // No early exit: the time taken does not tell which key, or whether any, matched.
  for (const key of keys) if (timingSafeEqual(digest, key.digest) && !found) found = key.scope;
  return found;
}

function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const match = header?.match(/^Bearer\s+(\S+)$/i);
  return match?.[1];
}

/**
 * Bearer API keys: `read` keys may call GET routes, `admin` keys anything. Without configured keys the
 * API is open (the embedded stack on 127.0.0.1); `server.ts` refuses to listen elsewhere without keys.
 */
export function installAuth(app: FastifyInstance, keys: ApiKey[]): void {
  if (keys.length === 0) return;
  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    if (OPEN_PATHS.has(path)) return;
    const token = bearerToken(request);
    const scope = token ? scopeOf(token, keys) : undefined;
    if (!scope) {
      void reply.header('www-authenticate', 'Bearer');
      throw new ApiError(401, 'UNAUTHORIZED', token ? 'the API key is not valid' : 'an API key is required: Authorization: Bearer <key>');
    }
    if (scope === 'read' && !READ_METHODS.has(request.method)) {
      throw new ApiError(403, 'FORBIDDEN', 'this API key may only read; an admin key is needed');
    }
  });
}

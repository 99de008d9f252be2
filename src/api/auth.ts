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

/** Paths anyone may read: probes and the API's own description (Swagger UI, its assets, the JSON). */
const OPEN_PATHS = new Set(['/healthz', '/readyz', '/docs']);
/**
 * The operator console's page and static files hold no data, and must load before it can ask for a key;
 * everything they show comes from the API, with the key.
 */
const OPEN_CONSOLE_PATHS = new Set(['/console', '/console/']);
const OPEN_PREFIXES = ['/docs/', '/console/assets/'];

/** Whether a path (a request's or a route's) needs no API key. */
export const isOpenPath = (path: string) =>
  OPEN_PATHS.has(path) || OPEN_CONSOLE_PATHS.has(path) || OPEN_PREFIXES.some((prefix) => path.startsWith(prefix));
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
    if (key.length < 24)
      throw new ApiKeyConfigError(`API_KEYS entry ${index + 1}: the key must be at least 24 characters`);
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

/** Names a keyless API answers to: what a browser on this machine, curl or a test sends as Host. */
const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The name part of a Host header or an origin's authority, without the port. */
function hostName(authority: string): string {
  const name = authority.startsWith('[') ? authority.slice(0, authority.indexOf(']') + 1) : authority.split(':')[0];
  return (name ?? '').toLowerCase();
}

function isLoopbackOrigin(origin: string): boolean {
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && LOOPBACK_NAMES.has(url.hostname.toLowerCase());
  } catch {
    return false; // "null" (a sandboxed page, a file) or garbage
  }
}

/**
 * The keyless API listens on loopback only, but a web page can still reach it: DNS rebinding points a
 * name the page controls at 127.0.0.1 (the browser then sends that name as Host), and any page can
 * POST to localhost (with its own Origin). So without keys, a request must be addressed to a loopback
 * name, and a state-changing one must not come from another site's page.
 */
function installLoopbackGuard(app: FastifyInstance): void {
  const howToAllow = 'set API_KEYS (`npm run api-key -- admin` makes a key) to serve the API to other names and sites';
  app.addHook('onRequest', async (request) => {
    const host = request.headers.host;
    if (host !== undefined && !LOOPBACK_NAMES.has(hostName(host))) {
      throw new ApiError(
        403,
        'HOST_NOT_ALLOWED',
        `without API keys the API only answers requests to localhost, 127.0.0.1 or [::1], not ${JSON.stringify(host.slice(0, 100))}: ${howToAllow}`,
      );
    }
    const origin = request.headers.origin;
    if (origin !== undefined && !READ_METHODS.has(request.method) && !isLoopbackOrigin(origin)) {
      throw new ApiError(
        403,
        'ORIGIN_NOT_ALLOWED',
        `without API keys the API only accepts changes from pages on this machine, not from ${JSON.stringify(origin.slice(0, 100))}: ${howToAllow}`,
      );
    }
  });
}

/**
 * Bearer API keys: `read` keys may call GET routes, `admin` keys anything. Without configured keys the
 * API is open (the embedded stack on 127.0.0.1; `server.ts` refuses to listen elsewhere without keys),
 * to requests addressed to a loopback name only (installLoopbackGuard).
 */
export function installAuth(app: FastifyInstance, keys: ApiKey[]): void {
  if (keys.length === 0) {
    installLoopbackGuard(app);
    return;
  }
  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    if (isOpenPath(path)) return;
    const token = bearerToken(request);
    const scope = token ? scopeOf(token, keys) : undefined;
    if (!scope) {
      void reply.header('www-authenticate', 'Bearer');
      throw new ApiError(
        401,
        'UNAUTHORIZED',
        token ? 'the API key is not valid' : 'an API key is required: Authorization: Bearer <key>',
      );
    }
    if (scope === 'read' && !READ_METHODS.has(request.method)) {
      throw new ApiError(403, 'FORBIDDEN', 'this API key may only read; an admin key is needed');
    }
  });
}

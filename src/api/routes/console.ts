import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { AppDeps } from '../app-deps.js';
import { notFound } from '../errors.js';
import { projectRoot } from '../../project-root.js';

/** The console's files: plain ES modules, a stylesheet and one page, served as they are (no build step). */
const CONSOLE_DIR = join(projectRoot, 'src/console');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/**
 * Scripts only from the console's own files (no inline script, no eval), data only from this API, and
 * no framing: item titles come from hostile web pages, and even one that slipped past the escaping
 * could not run.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The default UI of the embedded dev server, for an API started without a configured one (tests). */
const DEFAULT_TEMPORAL_UI_URL = 'http://127.0.0.1:8233';

interface ConsoleFile {
  body: Buffer;
  contentType: string;
}

/** Read once at start: the set of names is fixed, so a request can only ever name one of these files. */
function loadConsoleFiles(): Map<string, ConsoleFile> {
  const files = new Map<string, ConsoleFile>();
  for (const name of readdirSync(CONSOLE_DIR)) {
    const contentType = CONTENT_TYPES[extname(name)];
    if (contentType) files.set(name, { body: readFileSync(join(CONSOLE_DIR, name)), contentType });
  }
  return files;
}

function sendFile(reply: FastifyReply, file: ConsoleFile) {
  return reply
    .header('content-type', file.contentType)
    .header('content-security-policy', CONSOLE_CSP)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('x-frame-options', 'DENY')
    .header('cache-control', 'no-cache')
    .send(file.body);
}

/**
 * The operator console: GET /console is the page, /console/assets/<file> its modules and styles (open,
 * they hold no data), and GET /console/session tells the sign-in whether this API wants a key (it answers
 * 401 without one when API_KEYS is set) and where the Temporal UI is.
 */
export const consoleRoutes: FastifyPluginAsync<AppDeps> = async (app, { apiKeys, temporal, temporalUiUrl }) => {
  const files = loadConsoleFiles();
  const page = files.get('index.html');
  if (!page) throw new Error(`the console's index.html is missing from ${CONSOLE_DIR}`);

  // Pages and files for a browser, not API operations: kept out of the OpenAPI document.
  const hidden = { schema: { hide: true } };
  app.get('/console', hidden, async (_request, reply) => sendFile(reply, page));
  app.get('/console/', hidden, async (_request, reply) => sendFile(reply, page));
  app.get('/console/assets/:file', hidden, async (request, reply) => {
    const { file: name } = request.params as { file: string };
    const file = name === 'index.html' ? undefined : files.get(name);
    if (!file) throw notFound('console file', name.slice(0, 100));
    return sendFile(reply, file);
  });
  app.get('/console/session', hidden, async (_request, reply) => {
    void reply.header('cache-control', 'no-store');
    return {
      keyRequired: (apiKeys?.length ?? 0) > 0,
      temporalUiUrl: temporalUiUrl ?? DEFAULT_TEMPORAL_UI_URL,
      namespace: temporal.client.options.namespace,
    };
  });
};

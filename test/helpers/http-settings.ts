import type { HttpSettings } from '../../activities/http/http-client.js';

// Fixture servers listen on 127.0.0.1, a private address the guard lets through only when allow-listed.
// Kept free of vitest so worker processes a test spawns can read it too.
export const testHttpSettings: HttpSettings = {
  userAgent: 'NewLoom-test',
  timeoutMs: 5000,
  maxBodyBytes: 1024 * 1024,
  hostMinIntervalMs: 0,
  allowedPrivateHosts: ['127.0.0.1', 'localhost'],
};

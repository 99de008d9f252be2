import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import Fastify, { type FastifyInstance } from 'fastify';
import { inject } from 'vitest';
import { BrowserPool } from '../../activities/browser/browser-pool.js';
import { buildWorkerActivities } from '../../src/temporal/worker-activities.js';
import type { HttpSettings } from '../../activities/http/http-client.js';
import { testHttpSettings } from './http-settings.js';
import type { TelegramSettings } from '../../activities/telegram/bot-api.js';
import type { LlmSettings } from '../../activities/llm/anthropic-client.js';
import type { GoogleSettings } from '../../activities/google/drive-client.js';
import { newloomApi } from '../../src/api/app.js';
import { openDatabase, type Database } from '../../src/db/database.js';
import { createLogger } from '../../src/logger.js';
import { connectClient } from '../../src/temporal/client.js';
import { installTemporalRuntime } from '../../src/temporal/runtime.js';
import { createWorker } from '../../src/temporal/worker.js';
import { prebuiltWorkflowBundle } from '../../src/temporal/workflow-bundle.js';
import type { ProbeSettings } from '../../src/health/stream-health.js';

export interface TestStack {
  app: FastifyInstance;
  db: Database;
  /** The SQLite file, for a worker in another process. */
  databaseUrl: string;
  client: Client;
  /** For tests that run a worker of their own next to the stack's. */
  workerConnection: NativeConnection;
  browser: BrowserPool;
  taskQueue: string;
  close(): Promise<void>;
}

const logger = createLogger(process.env.TEST_LOG_LEVEL ?? 'error');
let bundle: Promise<{ codePath: string }> | undefined;

/**
 * The workflow bundle of the code under test, built once (in a child process, cached by a digest of
 * its inputs in .cache/workflow-bundle) and shared by every test file and worker process.
 */
export function workflowBundle(): Promise<{ codePath: string }> {
  bundle ??= prebuiltWorkflowBundle({ logger });
  return bundle;
}

// No spacing between requests to one host: tests talk to their own fixture server and assert on timing elsewhere.
export { testHttpSettings };

/**
 * The real stack on the shared dev server: a fresh SQLite file, a worker on its own task queue with the
 * real activities, and the API plugin on a Fastify instance driven through `inject`.
 */
export async function startTestStack(
  options: {
    http?: Partial<HttpSettings>;
    telegram?: TelegramSettings;
    llm?: LlmSettings;
    google?: GoogleSettings;
    databaseUrl?: string;
    /** Probe intervals of quarantined streams; tests use seconds. */
    probe?: ProbeSettings;
  } = {},
): Promise<TestStack> {
  installTemporalRuntime(logger);
  const address = inject('temporalAddress');
  const dir = mkdtempSync(join(tmpdir(), 'newloom-test-'));
  // A fresh SQLite file unless the test brings its own database (a scratch PostgreSQL one).
  const databaseUrl = options.databaseUrl ?? `sqlite:${join(dir, 'newloom.db')}`;
  const db = await openDatabase(databaseUrl);
  const client = await connectClient({ address, namespace: 'default' });
  const connection = await NativeConnection.connect({ address });
  const taskQueue = `test-${randomUUID()}`;
  // Chromium starts only when a browser task first runs.
  const http = { ...testHttpSettings, ...options.http };
  const browser = new BrowserPool(
    {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      userAgent: 'NewLoom-test',
      maxOpenPages: 2,
      allowedPrivateHosts: http.allowedPrivateHosts ?? [],
    },
    logger,
  );
  const worker: Worker = await createWorker({
    connection,
    namespace: 'default',
    taskQueue,
    activities: buildWorkerActivities({
      db,
      logger,
      browser,
      http,
      ...(options.telegram ? { telegram: options.telegram } : {}),
      ...(options.llm ? { llm: options.llm } : {}),
      ...(options.google ? { google: options.google } : {}),
      health: { schedules: { client, taskQueue }, ...(options.probe ? { probe: options.probe } : {}) },
    }),
    workflowBundle: await workflowBundle(),
  });
  const workerRun = worker.run();
  const app = Fastify({ logger: false });
  await app.register(newloomApi, { db, temporal: { client, taskQueue } });
  await app.ready();
  return {
    app,
    db,
    databaseUrl,
    client,
    workerConnection: connection,
    browser,
    taskQueue,
    async close() {
      await app.close();
      worker.shutdown();
      await workerRun;
      await browser.close();
      await connection.close();
      await client.connection.close();
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

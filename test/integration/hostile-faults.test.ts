import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { NativeConnection, Worker } from '@temporalio/worker';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorkerActivities } from '../../src/temporal/worker-activities.js';
import { BrowserPool } from '../../activities/browser/browser-pool.js';
import { allSearchAttributeKeys } from '../../schemas/temporal-names.js';
import { newloomApi } from '../../src/api/app.js';
import { openDatabase, type Database } from '../../src/db/database.js';
import { createLogger } from '../../src/logger.js';
import { connectClient } from '../../src/temporal/client.js';
import { startDevServer, type DevServer } from '../../src/temporal/dev-server.js';
import { installTemporalRuntime } from '../../src/temporal/runtime.js';
import { connectWorker, createWorker } from '../../src/temporal/worker.js';
import { createStream, waitForRunToClose } from '../helpers/api.js';
import { FixtureServer } from '../helpers/fixture-server.js';
import { temporalCliPath } from '../helpers/local-test-server.js';
import { testHttpSettings, workflowBundle } from '../helpers/stack.js';
import { freePort } from '../helpers/free-port.js';

// Temporal going away under a running API and worker: a dev server of this file's own (the shared one
// must stay up for the other files), stopped and started again on the same port with its state file,
// as a restart or a crash of the real server would be.

const logger = createLogger(process.env.TEST_LOG_LEVEL ?? 'error');

let dir: string;
let devServerOptions: Parameters<typeof startDevServer>[0];
let devServer: DevServer | undefined;
let db: Database;
let client: Client;
let workerConnection: NativeConnection;
let worker: Worker;
let workerRun: Promise<void>;
let browser: BrowserPool;
let app: FastifyInstance;
let site: FixtureServer;

beforeAll(async () => {
  installTemporalRuntime(logger);
  dir = mkdtempSync(join(tmpdir(), 'newloom-faults-'));
  devServerOptions = {
    cliPath: temporalCliPath(),
    host: '127.0.0.1',
    port: await freePort(),
    uiPort: await freePort(),
    dbFile: join(dir, 'temporal.db'),
    namespace: 'default',
    searchAttributes: allSearchAttributeKeys,
    logger,
  };
  [devServer, site] = await Promise.all([startDevServer(devServerOptions), FixtureServer.start()]);
  db = await openDatabase(`sqlite:${join(dir, 'newloom.db')}`);
  client = await connectClient({ address: devServer.address, namespace: 'default' });
  workerConnection = await connectWorker(devServer.address);
  const taskQueue = `faults-${randomUUID()}`;
  browser = new BrowserPool(
    { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', userAgent: 'NewLoom-test', maxOpenPages: 1 },
    logger,
  );
  worker = await createWorker({
    connection: workerConnection,
    namespace: 'default',
    taskQueue,
    activities: buildWorkerActivities({ db, logger, browser, http: testHttpSettings }),
    workflowBundle: await workflowBundle(),
  });
  workerRun = worker.run();
  app = Fastify({ logger: false });
  await app.register(newloomApi, { db, temporal: { client, taskQueue } });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  if (worker?.getState() === 'RUNNING') worker.shutdown();
  await workerRun;
  await browser?.close();
  await workerConnection?.close();
  await client?.connection.close();
  await db?.destroy();
  await devServer?.stop();
  await site?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('Temporal down, then back', () => {
  it('answers 503 with Retry-After within seconds while it is down, and starts and completes runs again within seconds of its return', async () => {
    const feedUrl = site.route('/feed.xml', {
      headers: { 'content-type': 'application/rss+xml' },
      fixture: 'feeds/rss2-news.xml',
    });
    const stream = await createStream(app, {
      name: 'outage gazette',
      type: 'rss_feed',
      config: { url: feedUrl, max_items: 50 },
    });
    const runNow = () => app.inject({ method: 'POST', url: `/streams/${stream.id}/runs?force=true` });
    expect((await runNow()).statusCode).toBe(202);

    await devServer!.stop();
    devServer = undefined;

    const refusedAt = Date.now();
    const refused = await runNow();
    const refusedMs = Date.now() - refusedAt;
    // Before: 500 INTERNAL after ~20 s of the SDK's retries.
    expect(refused.statusCode).toBe(503);
    expect(refused.headers['retry-after']).toBe('5');
    expect(refused.json()).toMatchObject({ error: { code: 'TEMPORAL_UNAVAILABLE' } });
    expect(refusedMs).toBeLessThan(8000);
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    const notReady = await app.inject({ method: 'GET', url: '/readyz' });
    expect(notReady.statusCode).toBe(503);
    expect(notReady.json()).toMatchObject({ status: 'not_ready', checks: { database: 'ok' } });

    // An outage of 30 s watched by a readiness probe every second, as an orchestrator would, so the
    // client has failed over and over (and backed off) by the time Temporal returns.
    const outageEnds = Date.now() + 30_000;
    while (Date.now() < outageEnds) {
      expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(503);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    devServer = await startDevServer(devServerOptions);
    const backAt = Date.now();

    let runId: string | undefined;
    while (!runId && Date.now() - backAt < 30_000) {
      const response = await runNow();
      if (response.statusCode === 202) runId = response.json<{ runId: string }>().runId;
      else await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const reconnectMs = Date.now() - backAt;
    expect(runId, 'the API started no run within 30 s of Temporal answering again').toBeDefined();
    const run = await waitForRunToClose(app, runId!, 60_000);
    const completedMs = Date.now() - backAt;
    console.info({ refusedMs, reconnectMs, completedMs }, 'Temporal outage figures');
    expect(run.status).toBe('completed');
    expect(reconnectMs).toBeLessThan(5000);
  }, 180_000);
});

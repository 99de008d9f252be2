import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
import { startNewloomProcess, type NewloomProcess } from '../../src/cluster/newloom-process.js';
import { ensureDatabase } from '../../src/cluster/postgres.js';
import { startTemporalServer, type TemporalServer } from '../../src/cluster/temporal-server.js';
import { openDatabase, type Database } from '../../src/db/database.js';
import { createLogger } from '../../src/logger.js';
import { compiledEntryPath, nodeArgumentsFor } from '../../src/process/compiled-entry-points.js';
import { callHttpApi } from '../helpers/http-call.js';
import { freePort } from '../helpers/postgres.js';

/**
 * One test file's share of the cluster: the Temporal server (restartable, killable), an app database of
 * its own on the shared PostgreSQL, an API process and worker processes on a task queue of its own.
 */
export interface TestCluster {
  api: string;
  db: Database;
  databaseUrl: string;
  temporalAddress: string;
  workers: NewloomProcess[];
  startWorker(): Promise<NewloomProcess>;
  restartApi(): Promise<void>;
  /** SIGKILL the server and start it again on the same state: a crashed Temporal host coming back. */
  crashAndRestartTemporal(downForMs?: number): Promise<void>;
  close(): Promise<void>;
}

const logger = createLogger(process.env.TEST_LOG_LEVEL ?? 'warn');

export async function startTestCluster(options: {
  workers: number;
  workerEnv?: Record<string, string>;
}): Promise<TestCluster> {
  const dir = inject('clusterDir');
  const postgresPort = inject('postgresPort');
  const database = `newloom_${randomUUID().slice(0, 8)}`;
  const adminUrl = `postgres://newloom@127.0.0.1:${postgresPort}/postgres`;
  await ensureDatabase(adminUrl, database);
  const databaseUrl = adminUrl.replace(/\/postgres$/, `/${database}`);
  const logs = join(dir, 'logs', database);
  mkdirSync(logs, { recursive: true });

  const startServer = () =>
    startTemporalServer({
      build: { dir: inject('temporalServerDir') },
      stateDir: join(dir, 'temporal'),
      postgres: { port: postgresPort, user: 'newloom' },
      frontendPort: inject('temporalFrontendPort'),
      metricsPort: inject('temporalMetricsPort'),
      logger,
    });
  let server: TemporalServer = await startServer();
  const db = await openDatabase(databaseUrl);
  const env = {
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: server.address,
    TEMPORAL_TASK_QUEUE: `cluster-${randomUUID()}`,
    LOG_LEVEL: 'info',
    // Fixture servers are on loopback; every request may go at once.
    HTTP_ALLOWED_PRIVATE_HOSTS: '127.0.0.1,localhost',
    HTTP_HOST_MIN_INTERVAL_MS: '0',
  };
  const workers: NewloomProcess[] = [];
  let workerCount = 0;
  const startWorker = async () => {
    workerCount += 1;
    const worker = startNewloomProcess({
      name: `worker-${workerCount}`,
      entry: compiledEntryPath('worker-main'),
      nodeArguments: nodeArgumentsFor('worker-main'),
      env: { ...env, ...options.workerEnv },
      logFile: join(logs, `worker-${workerCount}.log`),
      readyMessage: /^worker running$/,
    });
    workers.push(worker);
    await worker.ready;
    return worker;
  };
  const apiPort = await freePort();
  const startApi = async () => {
    const api = startNewloomProcess({
      name: 'api',
      entry: compiledEntryPath('server'),
      env: { ...env, API_PORT: String(apiPort) },
      logFile: join(logs, 'api.log'),
      readyMessage: /^Server listening at/,
    });
    await api.ready;
    return api;
  };
  await Promise.all(Array.from({ length: options.workers }, () => startWorker()));
  let api = await startApi();

  return {
    api: `http://127.0.0.1:${apiPort}`,
    db,
    databaseUrl,
    temporalAddress: server.address,
    workers,
    startWorker,
    async restartApi() {
      await api.stop();
      api = await startApi();
    },
    async crashAndRestartTemporal(downForMs = 2000) {
      await server.stop('SIGKILL');
      await new Promise((resolve) => setTimeout(resolve, downForMs));
      server = await startServer();
    },
    async close() {
      await api.stop();
      await Promise.all(workers.map((worker) => worker.stop()));
      await server.stop();
      await db.destroy();
    },
  };
}

/** The API's JSON answer, with its status. */
export async function call<T = Record<string, unknown>>(
  cluster: TestCluster,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  return callHttpApi<T>(cluster.api, method, path, body);
}

export async function waitForRun(
  cluster: TestCluster,
  runId: string,
  timeoutMs = 120_000,
): Promise<{ status: string; result?: { counts: Record<string, number>; attempt: number } }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { status, body } = await call<{
      status: string;
      result?: { counts: Record<string, number>; attempt: number };
    }>(cluster, 'GET', `/runs/${runId}`).catch(() => ({ status: 0, body: { status: 'unreachable' } }));
    if (status === 200 && body.status !== 'running') return body;
    if (Date.now() > deadline)
      throw new Error(`run ${runId} not closed within ${timeoutMs} ms (last: ${status} ${JSON.stringify(body)})`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

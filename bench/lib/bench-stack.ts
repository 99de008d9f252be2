import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import Fastify, { type FastifyInstance } from 'fastify';
import { buildWorkerActivities } from '../../src/temporal/worker-activities.js';
import { newloomApi } from '../../src/api/app.js';
import { openDatabase } from '../../src/db/database.js';
import { createLogger } from '../../src/logger.js';
import { connectClient } from '../../src/temporal/client.js';
import { installTemporalRuntime } from '../../src/temporal/runtime.js';
import { createWorker } from '../../src/temporal/worker.js';

export interface BenchStack {
  app: FastifyInstance;
  client: Client;
  close(): Promise<void>;
}

/** Call first in a benchmark: the SDK runtime must be installed before any server or connection. */
export function quietTemporalRuntime(): void {
  installTemporalRuntime(createLogger('error'));
}

/** The production wiring (real worker, activities, SQLite file, API plugin) against a given server. */
export async function startBenchStack(address: string): Promise<BenchStack> {
  const logger = createLogger('error');
  const db = await openDatabase(`sqlite:${join(mkdtempSync(join(tmpdir(), 'newloom-bench-')), 'db.sqlite')}`);
  const client = await connectClient({ address, namespace: 'default' });
  const connection = await NativeConnection.connect({ address });
  const taskQueue = 'bench';
  const worker = await createWorker({
    connection,
    namespace: 'default',
    taskQueue,
    activities: buildWorkerActivities({
      db,
      logger,
      http: {
        userAgent: 'NewLoom-bench',
        timeoutMs: 30_000,
        maxBodyBytes: 10 << 20,
        hostMinIntervalMs: 0,
        allowedPrivateHosts: ['127.0.0.1', 'localhost'],
      },
    }),
  });
  const running = worker.run();
  const app = Fastify();
  await app.register(newloomApi, { db, temporal: { client, taskQueue } });
  return {
    app,
    client,
    async close() {
      await app.close();
      worker.shutdown();
      await running;
      await connection.close();
      await client.connection.close();
      await db.destroy();
    },
  };
}

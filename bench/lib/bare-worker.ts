/**
 * A worker of bare SDK workflows for bench/start-path.ts, in its own process like NewLoom's worker:
 *   TEMPORAL_ADDRESS=127.0.0.1:7233 tsx bench/lib/bare-worker.ts
 * Prints "ready" once it polls; stops on SIGTERM.
 */
import { fileURLToPath } from 'node:url';
import { NativeConnection, Runtime, Worker, makeTelemetryFilterString } from '@temporalio/worker';
import { createBareActivities } from './bare-activities.js';

Runtime.install({ telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }) } } });
const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233' });
const worker = await Worker.create({
  connection,
  taskQueue: process.env.BARE_TASK_QUEUE ?? 'bare-bench',
  // Named by the bench when it runs this file compiled elsewhere (RUNTIME=compiled).
  workflowsPath: process.env.BARE_WORKFLOWS_PATH ?? fileURLToPath(new URL('./bare-workflow.ts', import.meta.url)),
  activities: createBareActivities(),
});
process.once('SIGTERM', () => worker.shutdown());
const running = worker.run();
console.log('ready');
await running;
await connection.close();

/**
 * A NewLoom worker in a process of its own, for tests that kill one mid-run (SIGKILL: no shutdown, no
 * goodbye to Temporal, exactly what a crashed host looks like). Configured by the environment the test
 * gives it; prints "ready" once it polls.
 */
import { buildWorkerActivities } from '../../src/temporal/worker-activities.js';
import { openDatabase } from '../../src/db/database.js';
import { createLogger } from '../../src/logger.js';
import { installTemporalRuntime } from '../../src/temporal/runtime.js';
import { connectWorker, createWorker } from '../../src/temporal/worker.js';
import { testHttpSettings } from './http-settings.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`worker-process needs ${name}`);
  return value;
};

const logger = createLogger('error');
installTemporalRuntime(logger, { metricsAddress: process.env.WORKER_METRICS_ADDRESS });
const db = await openDatabase(env('DATABASE_URL'));
const connection = await connectWorker(env('TEMPORAL_ADDRESS'));
const bundlePath = process.env.WORKFLOW_BUNDLE_PATH;
const worker = await createWorker({
  connection,
  namespace: 'default',
  taskQueue: env('TASK_QUEUE'),
  // The test's own bundle, written to a file, spares this process the seconds webpack takes.
  ...(bundlePath ? { workflowBundle: { codePath: bundlePath } } : {}),
  // No sticky queue: once this process is killed, the run's next workflow task goes straight to the survivor.
  maxCachedWorkflows: 0,
  activities: buildWorkerActivities({
    db,
    logger,
    http: {
      ...testHttpSettings,
      timeoutMs: 30_000,
      // A test of politeness across processes sets these; the others want no spacing.
      userAgent: process.env.HTTP_USER_AGENT ?? testHttpSettings.userAgent,
      ...(process.env.HTTP_HOST_CONCURRENCY ? { hostConcurrency: Number(process.env.HTTP_HOST_CONCURRENCY) } : {}),
      ...(process.env.HTTP_HOST_MIN_INTERVAL_MS
        ? { hostMinIntervalMs: Number(process.env.HTTP_HOST_MIN_INTERVAL_MS) }
        : {}),
    },
    ...(process.env.TELEGRAM_API_BASE_URL
      ? {
          telegram: {
            apiBaseUrl: env('TELEGRAM_API_BASE_URL'),
            botTokens: { TELEGRAM_BOT_TOKEN: env('TELEGRAM_BOT_TOKEN') },
            timeoutMs: 30_000,
          },
        }
      : {}),
  }),
});
const running = worker.run();
// The test holds our stdin: when it goes away, so do we (a SIGKILL from the test needs no help).
process.stdin.on('close', () => process.exit(0));
process.stdin.resume();
console.log('ready');
await running;

import { Client } from '@temporalio/client';
import { browserSettings, loadConfig, temporalTransport } from './config.js';
import { BrowserPool } from '../activities/browser/browser-pool.js';
import { openDatabase } from './db/database.js';
import { createLogger } from './logger.js';
import { Closers, untilShutdownSignal } from './process/shutdown.js';
import { installTemporalRuntime } from './temporal/runtime.js';
import { connectWorker, createWorker } from './temporal/worker.js';
import { workerActivitiesFromConfig } from './temporal/worker-activities.js';
import { prebuiltWorkflowBundle } from './temporal/workflow-bundle.js';
import { allSearchAttributeKeys } from '../schemas/temporal-names.js';
import { ensureNamespaceReady, NamespaceSetupError } from './temporal/namespace-setup.js';

/** A worker alone, for deployments that scale workers apart from the API. */
async function work(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const closers = new Closers();
  const shutdown = untilShutdownSignal(() => process.exit(130));
  try {
    installTemporalRuntime(logger, { metricsAddress: config.WORKER_METRICS_ADDRESS });
    const db = await openDatabase(config.databaseUrl);
    closers.add('database', () => db.destroy());
    const connection = await connectWorker(
      config.TEMPORAL_ADDRESS ?? `127.0.0.1:${config.TEMPORAL_PORT}`,
      temporalTransport(config),
    );
    closers.add('worker connection', () => connection.close());
    // Workers set no search attributes themselves, but a worker that starts before the API must not poll a namespace that is not there.
    await ensureNamespaceReady(connection, {
      namespace: config.TEMPORAL_NAMESPACE,
      searchAttributes: allSearchAttributeKeys,
      logger,
    });
    const browser = new BrowserPool(browserSettings(config), logger);
    closers.add('browser', () => browser.close());
    // Quarantine pauses and probes schedules: the worker's one use of a client, on its own connection.
    const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
    const activities = workerActivitiesFromConfig(config, {
      db,
      logger,
      browser,
      temporal: { client, taskQueue: config.TEMPORAL_TASK_QUEUE },
    });
    const worker = await createWorker({
      connection,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      activities,
      maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
      maxConcurrentActivities: config.WORKER_MAX_CONCURRENT_ACTIVITIES,
      workflowBundle: config.WORKFLOW_BUNDLE_PATH
        ? { codePath: config.WORKFLOW_BUNDLE_PATH }
        : await prebuiltWorkflowBundle({ logger }),
    });
    const run = worker.run();
    closers.add('worker', async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await run;
    });
    logger.info({ taskQueue: config.TEMPORAL_TASK_QUEUE }, 'worker running');
    await Promise.race([shutdown, run]);
  } catch (error) {
    if (error instanceof NamespaceSetupError) logger.error({ command: error.command }, error.message);
    else logger.error({ err: error }, 'worker failed');
    process.exitCode = 1;
  } finally {
    await closers.closeAll((name, error) => logger.error({ err: error, component: name }, 'close failed'));
  }
}

await work();

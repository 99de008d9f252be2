import { allSearchAttributeKeys } from '../schemas/temporal-names.js';
import { createApiServer } from './api/create-server.js';
import { ConfigError, browserSettings, loadConfig, temporalTransport } from './config.js';
import { BrowserPool } from '../activities/browser/browser-pool.js';
import { openDatabase } from './db/database.js';
import { redactDatabaseUrl } from './db/dialect.js';
import { createLogger } from './logger.js';
import { assertPortFree, PortInUseError } from './process/ports.js';
import { Closers, untilShutdownSignal } from './process/shutdown.js';
import { connectClient } from './temporal/client.js';
import { ensureNamespaceReady, NamespaceSetupError } from './temporal/namespace-setup.js';
import { keepSchedulesInSync } from './temporal/schedule-repair.js';
import { startDevServer } from './temporal/dev-server.js';
import { installTemporalRuntime } from './temporal/runtime.js';
import { connectWorker, createWorker } from './temporal/worker.js';
import { workerActivitiesFromConfig } from './temporal/worker-activities.js';
import { prebuiltWorkflowBundle } from './temporal/workflow-bundle.js';

/**
 * `npm start`: the whole stack in one process on its embedded defaults — the Temporal dev server (a
 * child process, state in DATA_DIR), SQLite, the worker and the API. Ctrl-C stops them in reverse order.
 * Set TEMPORAL_ADDRESS to use an existing Temporal server instead of the embedded one.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const closers = new Closers();
  const shutdown = untilShutdownSignal(() => process.exit(130));
  try {
    installTemporalRuntime(logger, { metricsAddress: config.WORKER_METRICS_ADDRESS });
    await assertPortFree(config.API_HOST, config.API_PORT, 'NewLoom API', 'API_PORT');
    // Bundled (when the workflows changed) in a child process while the rest starts.
    const workflowBundle = config.WORKFLOW_BUNDLE_PATH
      ? Promise.resolve({ codePath: config.WORKFLOW_BUNDLE_PATH })
      : prebuiltWorkflowBundle({ logger });
    workflowBundle.catch(() => undefined); // awaited below; a failure before then must not go unhandled

    let temporalAddress = config.TEMPORAL_ADDRESS;
    let uiUrl: string | undefined;
    if (!temporalAddress) {
      if (!config.TEMPORAL_CLI_PATH)
        throw new ConfigError(
          'TEMPORAL_CLI_PATH is not set: start the stack with `npm start`, which finds or installs the Temporal CLI',
        );
      await assertPortFree('127.0.0.1', config.TEMPORAL_PORT, 'Temporal gRPC', 'TEMPORAL_PORT');
      await assertPortFree('127.0.0.1', config.TEMPORAL_UI_PORT, 'Temporal Web UI', 'TEMPORAL_UI_PORT');
      const devServer = await startDevServer({
        cliPath: config.TEMPORAL_CLI_PATH,
        host: '127.0.0.1',
        port: config.TEMPORAL_PORT,
        uiPort: config.TEMPORAL_UI_PORT,
        dbFile: config.temporalDevServerDb,
        namespace: config.TEMPORAL_NAMESPACE,
        searchAttributes: allSearchAttributeKeys,
        logger,
      });
      closers.add('temporal dev server', () => devServer.stop());
      temporalAddress = devServer.address;
      uiUrl = devServer.uiUrl;
    }

    const db = await openDatabase(config.databaseUrl);
    closers.add('database', () => db.destroy());

    // An existing server may want TLS and a key (Temporal Cloud); the embedded one takes a plain connection.
    const transport = config.TEMPORAL_ADDRESS ? temporalTransport(config) : {};
    const client = await connectClient({ address: temporalAddress, namespace: config.TEMPORAL_NAMESPACE, transport });
    closers.add('temporal client', () => client.connection.close());
    // The dev server got its search attributes by flag; an existing server (TEMPORAL_ADDRESS) may not have them.
    await ensureNamespaceReady(client.connection, {
      namespace: config.TEMPORAL_NAMESPACE,
      searchAttributes: allSearchAttributeKeys,
      logger,
    });

    const workerConnection = await connectWorker(temporalAddress, transport);
    closers.add('worker connection', () => workerConnection.close());
    const browser = new BrowserPool(browserSettings(config), logger);
    closers.add('browser', () => browser.close());
    const activities = workerActivitiesFromConfig(config, {
      db,
      logger,
      browser,
      temporal: { client, taskQueue: config.TEMPORAL_TASK_QUEUE },
    });
    const worker = await createWorker({
      connection: workerConnection,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      activities,
      maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
      maxConcurrentActivities: config.WORKER_MAX_CONCURRENT_ACTIVITIES,
      workflowBundle: await workflowBundle,
    });
    const workerRun = worker.run();
    closers.add('worker', async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await workerRun;
    });
    const scheduleRepair = await keepSchedulesInSync({
      client,
      db,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      logger,
      intervalMs: config.SCHEDULE_REPAIR_INTERVAL_MS,
    });
    closers.add('schedule repair', () => scheduleRepair.stop());

    const api = await createApiServer(
      {
        db,
        temporal: { client, taskQueue: config.TEMPORAL_TASK_QUEUE },
        apiKeys: config.apiKeys,
        temporalUiUrl: config.temporalUiUrl,
      },
      logger,
    );
    await api.listen({ host: config.API_HOST, port: config.API_PORT });
    closers.add('api', () => api.close());

    logger.info(
      {
        api: `http://${config.API_HOST}:${config.API_PORT}`,
        temporal: temporalAddress,
        temporalUi: uiUrl,
        database: redactDatabaseUrl(config.databaseUrl),
      },
      'NewLoom is up (Ctrl-C stops it)',
    );
    const reason = await Promise.race([
      shutdown.then((signal) => `signal ${signal}`),
      workerRun.then(() => 'worker stopped'),
    ]);
    logger.info({ reason }, 'shutting down');
  } catch (error) {
    if (error instanceof PortInUseError || error instanceof ConfigError || error instanceof NamespaceSetupError) {
      logger.error(error.message);
    } else {
      logger.error({ err: error }, 'NewLoom failed');
    }
    process.exitCode = 1;
  } finally {
    await closers.closeAll((name, error) => logger.error({ err: error, component: name }, 'close failed'));
  }
}

await main();

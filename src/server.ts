import { createApiServer } from './api/create-server.js';
import { loadConfig, temporalTransport } from './config.js';
import { openDatabase } from './db/database.js';
import { createLogger } from './logger.js';
import { Closers, untilShutdownSignal } from './process/shutdown.js';
import { allSearchAttributeKeys } from '../schemas/temporal-names.js';
import { connectClient } from './temporal/client.js';
import { ensureNamespaceReady, NamespaceSetupError } from './temporal/namespace-setup.js';
import { keepSchedulesInSync } from './temporal/schedule-repair.js';

/**
 * The API alone, for deployments that run it apart from workers (docker-compose, production). It needs
 * a reachable Temporal server: TEMPORAL_ADDRESS, by default 127.0.0.1:<TEMPORAL_PORT>.
 */
async function serve(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const closers = new Closers();
  const shutdown = untilShutdownSignal(() => process.exit(130));
  try {
    const db = await openDatabase(config.databaseUrl);
    closers.add('database', () => db.destroy());
    const client = await connectClient({
      address: config.TEMPORAL_ADDRESS ?? `127.0.0.1:${config.TEMPORAL_PORT}`,
      namespace: config.TEMPORAL_NAMESPACE,
      transport: temporalTransport(config),
    });
    closers.add('temporal client', () => client.connection.close());
    await ensureNamespaceReady(client.connection, {
      namespace: config.TEMPORAL_NAMESPACE,
      searchAttributes: allSearchAttributeKeys,
      logger,
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
    logger.info({ signal: await shutdown }, 'shutting down');
  } catch (error) {
    if (error instanceof NamespaceSetupError) logger.error({ command: error.command }, error.message);
    else logger.error({ err: error }, 'API failed');
    process.exitCode = 1;
  } finally {
    await closers.closeAll((name, error) => logger.error({ err: error, component: name }, 'close failed'));
  }
}

await serve();

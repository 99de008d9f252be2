import { allSearchAttributeKeys } from '../schemas/temporal-names.js';
import { loadConfig, temporalTransport } from './config.js';
import { openDatabase } from './db/database.js';
import { redactDatabaseUrl } from './db/dialect.js';
import { createLogger } from './logger.js';
import { connectClient } from './temporal/client.js';
import { ensureNamespaceReady, NamespaceSetupError } from './temporal/namespace-setup.js';

/**
 * One-shot setup of a deployment, run before the API and workers (docker-compose's `setup` service):
 * the database's migrations and Temporal's namespace and search attributes. Each process would do both
 * itself; running them once first keeps start-up quiet and makes a failure one clear exit code.
 */
async function setup(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  try {
    const db = await openDatabase(config.databaseUrl);
    await db.destroy();
    logger.info({ database: redactDatabaseUrl(config.databaseUrl) }, 'database migrated');
    const client = await connectClient({
      address: config.TEMPORAL_ADDRESS ?? `127.0.0.1:${config.TEMPORAL_PORT}`,
      namespace: config.TEMPORAL_NAMESPACE,
      transport: temporalTransport(config),
    });
    try {
      await ensureNamespaceReady(client.connection, {
        namespace: config.TEMPORAL_NAMESPACE,
        searchAttributes: allSearchAttributeKeys,
        logger,
      });
    } finally {
      await client.connection.close();
    }
    logger.info({ namespace: config.TEMPORAL_NAMESPACE }, 'Temporal namespace ready');
  } catch (error) {
    if (error instanceof NamespaceSetupError) logger.error({ command: error.command }, error.message);
    else logger.error({ err: error }, 'setup failed');
    process.exitCode = 1;
  }
}

await setup();

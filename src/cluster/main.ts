import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { allSearchAttributeKeys } from '../../schemas/temporal-names.js';
import { openDatabase } from '../db/database.js';
import { createLogger } from '../logger.js';
import { assertPortFree, PortInUseError } from '../process/ports.js';
import { Closers, untilShutdownSignal } from '../process/shutdown.js';
import { connectClient } from '../temporal/client.js';
import { ensureNamespaceReady, NamespaceSetupError } from '../temporal/namespace-setup.js';
import { prebuiltWorkflowBundle } from '../temporal/workflow-bundle.js';
import { startNewloomProcess, type NewloomProcess } from './newloom-process.js';
import { compileEntryPoints, compiledEntryPath, nodeArgumentsFor } from '../process/compiled-entry-points.js';
import { ensureDatabase, startLocalPostgres } from './postgres.js';
import { servicePorts, setupTemporalSchemas, startTemporalServer } from './temporal-server.js';

const port = (fallback: number) => z.coerce.number().int().min(1).max(65_535).default(fallback);

const QUIETER_THAN_INFO = new Set(['warn', 'error', 'fatal', 'silent']);

/** The cluster's own settings; the processes it starts read the usual ones (src/config.ts). */
const clusterSettingsSchema = z.object({
  TEMPORAL_SERVER_DIR: z.string().min(1, 'run through `npm run cluster`, which builds or finds the Temporal server'),
  CLUSTER_DIR: z.string().default('data/cluster'),
  CLUSTER_WORKERS: z.coerce.number().int().min(1).max(16).default(2),
  CLUSTER_POSTGRES_PORT: port(55432),
  TEMPORAL_PORT: port(7233),
  CLUSTER_TEMPORAL_METRICS_PORT: port(8000),
  API_HOST: z.string().default('127.0.0.1'),
  API_PORT: port(3000),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/**
 * `npm run cluster`: the production topology on one machine, without Docker — PostgreSQL (NewLoom's
 * database and Temporal's), the real Temporal server (all services in one process) on it, then the API
 * and CLUSTER_WORKERS workers as separate processes. State stays in CLUSTER_DIR across restarts.
 * Ctrl-C stops the API, the workers, the server and PostgreSQL, in that order.
 */
async function cluster(): Promise<void> {
  const settings = clusterSettingsSchema.parse(process.env);
  const logger = createLogger(settings.LOG_LEVEL).child({ component: 'cluster' });
  const closers = new Closers();
  const shutdown = untilShutdownSignal(() => process.exit(130));
  const dir = resolve(settings.CLUSTER_DIR);
  const logs = join(dir, 'logs');
  mkdirSync(logs, { recursive: true });
  try {
    const frontend = servicePorts(settings.TEMPORAL_PORT);
    await assertPortFree('127.0.0.1', settings.CLUSTER_POSTGRES_PORT, 'cluster PostgreSQL', 'CLUSTER_POSTGRES_PORT');
    for (const service of Object.values(frontend)) {
      for (const servicePort of Object.values(service))
        await assertPortFree('127.0.0.1', servicePort, 'Temporal server', 'TEMPORAL_PORT');
    }
    await assertPortFree(
      '127.0.0.1',
      settings.CLUSTER_TEMPORAL_METRICS_PORT,
      'Temporal server metrics',
      'CLUSTER_TEMPORAL_METRICS_PORT',
    );
    await assertPortFree(settings.API_HOST, settings.API_PORT, 'NewLoom API', 'API_PORT');

    const postgres = startLocalPostgres({ dataDir: join(dir, 'postgres'), port: settings.CLUSTER_POSTGRES_PORT });
    closers.add('postgres', async () => postgres.stop());
    logger.info({ port: postgres.port }, 'PostgreSQL ready');
    await ensureDatabase(postgres.adminUrl, 'newloom');
    const databaseUrl = postgres.urlFor('newloom');

    const build = { dir: settings.TEMPORAL_SERVER_DIR };
    await setupTemporalSchemas({ build, postgres: { port: postgres.port, user: 'newloom' }, logger });
    const temporal = await startTemporalServer({
      build,
      stateDir: join(dir, 'temporal'),
      postgres: { port: postgres.port, user: 'newloom' },
      frontendPort: settings.TEMPORAL_PORT,
      metricsPort: settings.CLUSTER_TEMPORAL_METRICS_PORT,
      logger,
    });
    closers.add('temporal server', () => temporal.stop());

    // What docker-compose's setup service does: migrations and the namespace, once, before the processes.
    const client = await connectClient({ address: temporal.address, namespace: settings.TEMPORAL_NAMESPACE });
    try {
      await ensureNamespaceReady(client.connection, {
        namespace: settings.TEMPORAL_NAMESPACE,
        searchAttributes: allSearchAttributeKeys,
        logger,
      });
    } finally {
      await client.connection.close();
    }
    await (await openDatabase(databaseUrl)).destroy();
    // What the worker image's build does: one workflow bundle for every worker, instead of each worker
    // building the same one when it starts.
    const workflowBundlePath = process.env.WORKFLOW_BUNDLE_PATH ?? (await prebuiltWorkflowBundle({ logger })).codePath;
    // And what the images run: the entry points compiled to JavaScript, not the sources through tsx.
    const compiled = await compileEntryPoints();
    logger.info({ ms: compiled.ms }, 'entry points compiled');

    const env = {
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: settings.TEMPORAL_NAMESPACE,
      // The cluster knows a process is up from its start-up line (info level), so the processes log at
      // least that much to their files whatever the console's level is.
      LOG_LEVEL: QUIETER_THAN_INFO.has(settings.LOG_LEVEL) ? 'info' : settings.LOG_LEVEL,
    };
    const processes: NewloomProcess[] = [];
    for (let index = 1; index <= settings.CLUSTER_WORKERS; index += 1) {
      processes.push(
        startNewloomProcess({
          name: `worker-${index}`,
          entry: compiledEntryPath('worker-main'),
          nodeArguments: nodeArgumentsFor('worker-main'),
          env: { ...env, WORKFLOW_BUNDLE_PATH: workflowBundlePath },
          logFile: join(logs, `worker-${index}.log`),
          readyMessage: /^worker running$/,
        }),
      );
    }
    const api = startNewloomProcess({
      name: 'api',
      entry: compiledEntryPath('server'),
      env: { ...env, API_HOST: settings.API_HOST, API_PORT: String(settings.API_PORT) },
      logFile: join(logs, 'api.log'),
      readyMessage: /^Server listening at/,
    });
    processes.push(api);
    for (const child of processes) closers.add(child.name, () => child.stop());
    // Ctrl-C during start-up stops what has started instead of waiting for the rest to be ready.
    const started = await Promise.race([
      Promise.all(processes.map((child) => child.ready)).then(() => true),
      shutdown.then(() => false),
    ]);
    if (!started) return;

    logger.info(
      {
        api: `http://${settings.API_HOST}:${settings.API_PORT}`,
        temporal: temporal.address,
        workers: settings.CLUSTER_WORKERS,
        postgres: postgres.port,
        logs,
      },
      'NewLoom cluster is up (Ctrl-C stops it)',
    );
    const reason = await Promise.race([
      shutdown.then((signal) => `signal ${signal}`),
      ...processes.map((child) => child.exited.then((code) => `${child.name} exited with code ${code}`)),
    ]);
    logger.info({ reason }, 'shutting down');
  } catch (error) {
    if (error instanceof PortInUseError) logger.error(error.message);
    else if (error instanceof NamespaceSetupError) logger.error({ command: error.command }, error.message);
    else logger.error({ err: error }, 'cluster failed');
    process.exitCode = 1;
  } finally {
    await closers.closeAll((name, error) => logger.error({ err: error, component: name }, 'close failed'));
  }
}

await cluster();

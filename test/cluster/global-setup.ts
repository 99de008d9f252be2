import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { allSearchAttributeKeys } from '../../schemas/temporal-names.js';
import { startLocalPostgres } from '../../src/cluster/postgres.js';
import { setupTemporalSchemas, startTemporalServer } from '../../src/cluster/temporal-server.js';
import { createLogger } from '../../src/logger.js';
import { assertPortFree } from '../../src/process/ports.js';
import { connectClient } from '../../src/temporal/client.js';
import { ensureNamespaceReady } from '../../src/temporal/namespace-setup.js';
import { freePort } from '../helpers/free-port.js';
import { compileEntryPoints } from '../../src/process/compiled-entry-points.js';

declare module 'vitest' {
  export interface ProvidedContext {
    clusterDir: string;
    temporalServerDir: string;
    temporalFrontendPort: number;
    temporalMetricsPort: number;
    postgresPort: number;
  }
}

/** Free ports for the server's services: the frontend's and the five after it, plus the membership ports 100 above. */
async function freeServerBase(): Promise<number> {
  for (let tries = 0; tries < 50; tries += 1) {
    // Membership ports (base + 10x) are stored as smallint: the whole range stays under 32768.
    const base = 20_000 + Math.floor(Math.random() * 12_000);
    const probes = [0, 1, 2, 6, 10, 100, 101, 102, 106].map((offset) => base + offset);
    const free = await Promise.all(
      probes.map((port) =>
        assertPortFree('127.0.0.1', port, 'probe', 'probe').then(
          () => true,
          () => false,
        ),
      ),
    );
    if (free.every(Boolean)) return base;
  }
  throw new Error('no free port range for the Temporal server');
}

/**
 * The cluster under test: a throwaway PostgreSQL holding Temporal's databases, the Temporal server
 * built from source (scripts/ensure-temporal-server.sh, cached) on it, with the namespace set up the
 * way `npm run cluster` does. NewLoom's processes are started by the tests, which kill them.
 */
export default async function setup(project: TestProject) {
  const logger = createLogger(process.env.TEST_LOG_LEVEL ?? 'warn');
  const serverDir =
    process.env.TEMPORAL_SERVER_DIR ??
    execFileSync('bash', ['scripts/ensure-temporal-server.sh'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    }).trim();
  const dir = mkdtempSync(join(tmpdir(), 'newloom-cluster-'));
  // PostgreSQL runs as its own user under root: it must be able to reach its data folder inside.
  chmodSync(dir, 0o755);
  const postgres = startLocalPostgres({ dataDir: join(dir, 'postgres'), port: await freePort(), durable: false });
  const build = { dir: serverDir };
  const teardown = () => {
    try {
      postgres.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  // A failed setup gets no teardown call from vitest: stop the PostgreSQL it started.
  const ports = await prepareServer(build, dir, postgres.port, logger).catch((error: unknown) => {
    teardown();
    throw error;
  });

  // The processes run as the images run them: compiled to JavaScript (scripts/build.ts), not through tsx.
  await compileEntryPoints();

  project.provide('clusterDir', dir);
  project.provide('temporalServerDir', serverDir);
  project.provide('temporalFrontendPort', ports.frontendPort);
  project.provide('temporalMetricsPort', ports.metricsPort);
  project.provide('postgresPort', postgres.port);
  return teardown;
}

/** Temporal's schemas on the PostgreSQL, and one start of the server to set up its namespace; the tests start it again. */
async function prepareServer(
  build: { dir: string },
  dir: string,
  postgresPort: number,
  logger: ReturnType<typeof createLogger>,
) {
  await setupTemporalSchemas({ build, postgres: { port: postgresPort, user: 'newloom' }, logger });
  const frontendPort = await freeServerBase();
  const metricsPort = await freePort();
  const server = await startTemporalServer({
    build,
    stateDir: join(dir, 'temporal'),
    postgres: { port: postgresPort, user: 'newloom' },
    frontendPort,
    metricsPort,
    logger,
  });
  try {
    const client = await connectClient({ address: server.address, namespace: 'default' });
    await ensureNamespaceReady(client.connection, {
      namespace: 'default',
      searchAttributes: allSearchAttributeKeys,
      logger,
    });
    await client.connection.close();
  } finally {
    await server.stop();
  }
  return { frontendPort, metricsPort };
}

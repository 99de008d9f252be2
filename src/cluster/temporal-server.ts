import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import pg from 'pg';
import type { Logger } from 'pino';
import { ensureDatabase } from './postgres.js';

/** The folder `scripts/ensure-temporal-server.sh` prints: the server, its SQL tool and their schemas. */
export interface TemporalServerBuild {
  dir: string;
}

export interface TemporalServerOptions {
  build: TemporalServerBuild;
  /** Where the server's config and log go. */
  stateDir: string;
  postgres: { port: number; user: string };
  /** The frontend's gRPC port; the other services take the next ones (see `servicePorts`). */
  frontendPort: number;
  /** Where the server serves its Prometheus metrics. */
  metricsPort: number;
  logger: Logger;
}

export interface TemporalServer {
  address: string;
  /** The server's own log file. */
  logFile: string;
  /** Stops the server (SIGTERM, then SIGKILL); `signal: 'SIGKILL'` kills it as a crash would. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

const databases = { persistence: 'temporal', visibility: 'temporal_visibility' } as const;

/** Every port of a one-process server, derived from the frontend's so one variable moves them all. */
export function servicePorts(frontendPort: number) {
  return {
    frontend: { grpcPort: frontendPort, membershipPort: frontendPort + 100, httpPort: frontendPort + 10 },
    history: { grpcPort: frontendPort + 1, membershipPort: frontendPort + 101 },
    matching: { grpcPort: frontendPort + 2, membershipPort: frontendPort + 102 },
    worker: { grpcPort: frontendPort + 6, membershipPort: frontendPort + 106 },
  };
}

/**
 * Creates Temporal's two databases when missing and brings their schemas to the server's version with
 * its own SQL tool: `setup-schema -v 0.0` once, then `update-schema` over the versioned folder, which
 * applies only what is newer. Safe to repeat on every start.
 */
export async function setupTemporalSchemas(
  options: Pick<TemporalServerOptions, 'build' | 'postgres' | 'logger'>,
): Promise<void> {
  const adminUrl = `postgres://${options.postgres.user}@127.0.0.1:${options.postgres.port}/postgres`;
  for (const [kind, database] of Object.entries(databases)) {
    await ensureDatabase(adminUrl, database);
    const tool = (...args: string[]) =>
      execFileSync(
        join(options.build.dir, 'temporal-sql-tool'),
        [
          '--plugin',
          'postgres12',
          '--ep',
          '127.0.0.1',
          '-p',
          String(options.postgres.port),
          '-u',
          options.postgres.user,
          '--db',
          database,
          ...args,
        ],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
    if (!(await hasSchemaVersionTable(adminUrl.replace(/\/postgres$/, `/${database}`))))
      tool('setup-schema', '-v', '0.0');
    tool(
      'update-schema',
      '-d',
      join(
        options.build.dir,
        'schema',
        'postgresql',
        'v12',
        kind === 'persistence' ? 'temporal' : 'visibility',
        'versioned',
      ),
    );
    options.logger.debug({ database }, 'Temporal schema up to date');
  }
}

async function hasSchemaVersionTable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rowCount } = await client.query(
      "select 1 from information_schema.tables where table_name = 'schema_version'",
    );
    return Boolean(rowCount);
  } finally {
    await client.end();
  }
}

/** The server's static config: all four services in one process, persistence and visibility on PostgreSQL. */
function serverConfig(options: TemporalServerOptions): string {
  const ports = servicePorts(options.frontendPort);
  const store = (database: string, maxConns: number) => ({
    sql: {
      pluginName: 'postgres12',
      databaseName: database,
      connectAddr: `127.0.0.1:${options.postgres.port}`,
      connectProtocol: 'tcp',
      user: options.postgres.user,
      password: '',
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  });
  const config = {
    log: { stdout: true, level: 'warn' },
    persistence: {
      defaultStore: 'postgres-default',
      visibilityStore: 'postgres-visibility',
      numHistoryShards: 4,
      datastores: {
        'postgres-default': store(databases.persistence, 20),
        'postgres-visibility': store(databases.visibility, 10),
      },
    },
    global: {
      membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' },
      metrics: {
        prometheus: { framework: 'tally', timerType: 'histogram', listenAddress: `127.0.0.1:${options.metricsPort}` },
      },
    },
    services: Object.fromEntries(
      Object.entries(ports).map(([name, rpc]) => [name, { rpc: { ...rpc, bindOnLocalHost: true } }]),
    ),
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: {
        active: {
          enabled: true,
          initialFailoverVersion: 1,
          rpcName: 'frontend',
          rpcAddress: `127.0.0.1:${options.frontendPort}`,
        },
      },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    dynamicConfigClient: { filepath: join(options.stateDir, 'config', 'dynamicconfig.yaml'), pollInterval: '10s' },
  };
  // JSON is YAML: no YAML writer needed.
  return JSON.stringify(config, null, 2);
}

/** Starts the server with its config under `stateDir`, and waits until its frontend answers. */
export async function startTemporalServer(options: TemporalServerOptions): Promise<TemporalServer> {
  const configDir = join(options.stateDir, 'config');
  mkdirSync(configDir, { recursive: true });
  writeFileSync(join(configDir, 'cluster.yaml'), serverConfig(options));
  writeFileSync(
    join(configDir, 'dynamicconfig.yaml'),
    '# Dynamic config of the local cluster; empty means the server defaults.\n{}\n',
  );
  const logFile = join(options.stateDir, 'temporal-server.log');
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(
    join(options.build.dir, 'temporal-server'),
    ['--root', options.stateDir, '--config', 'config', '--env', 'cluster', '--allow-no-auth', 'start'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const address = `127.0.0.1:${options.frontendPort}`;
  try {
    await waitUntilServing(address, exited, 120_000);
  } catch (error) {
    await stopChild(child, exited, 'SIGKILL');
    const tail = readFileSync(logFile, 'utf8')
      .trim()
      .split('\n')
      .slice(-5)
      .map((line) => line.slice(0, 400))
      .join('\n');
    throw new Error(`${error instanceof Error ? error.message : String(error)} (see ${logFile}):\n${tail}`);
  }
  options.logger.info({ address, logFile }, 'Temporal server ready');
  return { address, logFile, stop: (signal = 'SIGTERM') => stopChild(child, exited, signal) };
}

async function waitUntilServing(address: string, exited: Promise<number | null>, timeoutMs: number): Promise<void> {
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`the Temporal server exited with code ${exitCode} during start-up`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        const { status } = await connection.healthService.check({});
        if (Number(status) === 1) return; // SERVING
      } finally {
        await connection.close();
      }
    } catch (error) {
      lastError = error;
    }
    await sleep(500);
  }
  throw new Error(`the Temporal server did not answer on ${address} within ${timeoutMs} ms: ${String(lastError)}`);
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill(signal);
  const killTimer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(killTimer);
}

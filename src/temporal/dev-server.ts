import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { Connection } from '@temporalio/client';
import type { Logger } from 'pino';

export interface DevServerOptions {
  cliPath: string;
  host: string;
  port: number;
  uiPort: number;
  /** SQLite file the dev server keeps its state in, so runs and schedules survive a restart. */
  dbFile: string;
  namespace: string;
  /** Custom search attributes to register (name and SDK type, e.g. KEYWORD). */
  searchAttributes: ReadonlyArray<{ name: string; type: string }>;
  logger: Logger;
  /** @default 60 s — a cold start with a large state file takes a few seconds. */
  startTimeoutMs?: number;
  /** Serve the server's own Prometheus metrics (/metrics) on this port; none when unset. */
  metricsPort?: number;
}

export interface DevServer {
  address: string;
  uiUrl: string;
  /** The server's process id (benchmarks read its CPU and memory from /proc). */
  pid: number | undefined;
  stop(): Promise<void>;
}

/** Thrown when the dev server exits or never answers during start-up. */
export class DevServerStartError extends Error {
  override readonly name = 'DevServerStartError';
}

const SA_TYPE_FLAG: Record<string, string> = {
  TEXT: 'Text',
  KEYWORD: 'Keyword',
  INT: 'Int',
  DOUBLE: 'Double',
  BOOL: 'Bool',
  DATETIME: 'Datetime',
  KEYWORD_LIST: 'KeywordList',
};

/** Starts `temporal server start-dev` with persisted state, the Web UI and our search attributes. */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  mkdirSync(dirname(options.dbFile), { recursive: true });
  const args = [
    'server',
    'start-dev',
    '--ip',
    options.host,
    '--port',
    String(options.port),
    '--ui-port',
    String(options.uiPort),
    '--db-filename',
    options.dbFile,
    // SQLite's default rollback journal syncs several times per commit, and a dev server with a
    // thousand schedules spends its time waiting on the disk (docs/benchmarks.md). A write-ahead log
    // synced at checkpoints survives the server process dying at any point; only a crash of the
    // machine itself may lose the last moments of writes (production runs on PostgreSQL).
    ...['journal_mode=wal', 'synchronous=normal'].flatMap((pragma) => ['--sqlite-pragma', pragma]),
    // The dev server re-reads the cluster's search attributes from SQLite on every lookup (so that
    // attributes added while it runs show at once), and every run start, upsert and visibility write
    // looks them up: database reads under a lock on its single SQLite connection. NewLoom registers its
    // attributes by flag at start, so the cached copy is complete from the start.
    '--dynamic-config-value',
    'system.forceSearchAttributesCacheRefreshOnRead=false',
    '--namespace',
    options.namespace,
    '--log-level',
    'warn',
    ...(options.metricsPort ? ['--metrics-port', String(options.metricsPort)] : []),
    ...options.searchAttributes.flatMap((key) => [
      '--search-attribute',
      `${key.name}=${SA_TYPE_FLAG[key.type] ?? 'Keyword'}`,
    ]),
  ];
  const log = options.logger.child({ component: 'temporal-dev-server' });
  log.info(
    { cli: options.cliPath, port: options.port, uiPort: options.uiPort, dbFile: options.dbFile },
    'starting Temporal dev server',
  );
  const child = spawn(options.cliPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const recentOutput: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      recentOutput.push(line);
      if (recentOutput.length > 20) recentOutput.shift();
      log.debug({ line }, 'dev server output');
    });
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const address = `${options.host}:${options.port}`;
  try {
    await waitUntilServing(address, options.namespace, exited, options.startTimeoutMs ?? 60_000);
  } catch (error) {
    await stopChild(child, exited);
    const tail = recentOutput.join('\n');
    throw new DevServerStartError(
      `${error instanceof Error ? error.message : String(error)}${tail ? `\n${tail}` : ''}`,
    );
  }
  log.info({ address, ui: `http://${options.host}:${options.uiPort}` }, 'Temporal dev server ready');
  return {
    address,
    uiUrl: `http://${options.host}:${options.uiPort}`,
    pid: child.pid,
    stop: () => stopChild(child, exited),
  };
}

async function waitUntilServing(address: string, namespace: string, exited: Promise<number | null>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`the Temporal dev server exited with code ${exitCode} during start-up`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.describeNamespace({ namespace });
        return;
      } finally {
        await connection.close();
      }
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  throw new Error(`the Temporal dev server did not answer on ${address} within ${timeoutMs} ms: ${String(lastError)}`);
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const killTimer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(killTimer);
}

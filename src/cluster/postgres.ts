import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';

/** A PostgreSQL server this process started from Debian's binaries, trusting local connections. */
export interface LocalPostgres {
  port: number;
  /** The `postgres` database as superuser `newloom`. */
  adminUrl: string;
  /** The URL of another database on the same server. */
  urlFor(database: string): string;
  stop(): void;
}

/** Thrown when Debian's PostgreSQL server is not installed. */
export class PostgresNotInstalledError extends Error {
  override readonly name = 'PostgresNotInstalledError';
  constructor() {
    super('PostgreSQL server binaries not found under /usr/lib/postgresql: apt-get install postgresql');
  }
}

/** Debian's PostgreSQL server binaries, newest version first, or undefined when not installed. */
export function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  return versions.map((version) => join(root, version, 'bin')).find((dir) => existsSync(join(dir, 'initdb')));
}

/**
 * Starts PostgreSQL on `dataDir` (initialised on first use, kept after stop unless the caller deletes
 * it), listening on 127.0.0.1:`port` only. PostgreSQL refuses to run as root, so as root the server runs
 * as the `postgres` user Debian's package creates. `durable: false` turns fsync off, for tests.
 */
export function startLocalPostgres(options: { dataDir: string; port: number; durable?: boolean }): LocalPostgres {
  const bin = postgresBinDir();
  if (!bin) throw new PostgresNotInstalledError();
  const { dataDir, port } = options;
  const asRoot = process.getuid?.() === 0;
  const run = (tool: string, args: string[]) => {
    const command = asRoot ? 'runuser' : join(bin, tool);
    const commandArgs = asRoot ? ['-u', 'postgres', '--', join(bin, tool), ...args] : args;
    execFileSync(command, commandArgs, { stdio: ['ignore', 'ignore', 'pipe'] });
  };
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dataDir, uid, gid);
  }
  if (!existsSync(join(dataDir, 'PG_VERSION')))
    run('initdb', ['-D', dataDir, '-U', 'newloom', '--auth=trust', '--no-sync', '-E', 'UTF8']);
  const settings = [
    `-p ${port}`,
    `-k ${dataDir}`,
    '-c listen_addresses=127.0.0.1',
    '-c max_connections=200',
    ...(options.durable === false ? ['-c fsync=off'] : []),
  ];
  run('pg_ctl', ['-D', dataDir, '-l', join(dataDir, 'server.log'), '-w', '-o', settings.join(' '), 'start']);
  const urlFor = (database: string) => `postgres://newloom@127.0.0.1:${port}/${database}`;
  return {
    port,
    adminUrl: urlFor('postgres'),
    urlFor,
    stop: () => run('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', 'stop']),
  };
}

/** Creates the database unless it exists; safe to repeat. */
export async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount) await client.query(`create database "${name.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

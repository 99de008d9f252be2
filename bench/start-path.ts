/**
 * What NewLoom's layers cost on top of Temporal, side by side in one run on one server:
 *   TEMPORAL_CLI_PATH=.cache/temporal-cli/1.9.1/temporal npx tsx bench/start-path.ts
 *
 * Two installations share one dev server (started here, or TEMPORAL_ADDRESS): NewLoom as it is deployed
 * (the API, src/server.ts, and a worker, src/worker-main.ts, compiled as `npm run build` compiles them
 * unless RUNTIME=tsx, in their own processes on one SQLite file)
 * and a bare SDK worker (bench/lib/bare-worker.ts) running a workflow of the same shape (fetch the feed,
 * two no-op activities: NewLoom's run collects, saves and records its outcome). Streams fetch small
 * feeds from FEED_HOSTS local fixture servers, so per-host politeness does not set the pace.
 *
 * At each concurrency (CONCURRENCY, default 1,10,50) `c` closed loops each start a run, wait for it to
 * end and start the next: NewLoom's through `POST /streams/:id/runs` (each loop on its own streams, so no
 * start is refused as overlapping), the bare ones with `client.workflow.start`. The NewLoom and bare
 * batches alternate (A B B A) so both see the same drift in the machine's load. Reported: start latency
 * p50/p95/p99 and end-to-end runs/s, and their ratios; where a start's time goes (the steps of the
 * API's start measured one by one); each process's CPU time per run (/proc) and, per run and side, what
 * the server did (its own Prometheus counters: requests, persistence calls, visibility writes);
 * each worker's memory (RSS from /proc, heap from a preloaded probe) at
 * idle, under load and after. SOAK_RUNS (default 0) then runs that many more NewLoom runs and reports the
 * worker's heap floor per window, to show growth per run. Results: stdout and .cache/bench/start-path.json.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Client, Connection } from '@temporalio/client';
import { build as esbuild } from 'esbuild';
import { allSearchAttributeKeys, searchAttributes } from '../schemas/temporal-names.js';
import { createLogger } from '../src/logger.js';
import {
  compileEntryPoints,
  compiledEntryPath,
  compileSettings,
  nodeArgumentsFor,
} from '../src/process/compiled-entry-points.js';
import { ensureDatabase, startLocalPostgres } from '../src/cluster/postgres.js';
import { projectRoot } from '../src/project-root.js';
import type { Stream } from '../src/db/streams-repository.js';
import { startDevServer } from '../src/temporal/dev-server.js';
import { streamRunStartOptions } from '../src/temporal/runs.js';
import { freePort } from '../test/helpers/free-port.js';
import { startFeedHosts } from './lib/feed-hosts.js';
import { loadAverages, sampleProcess } from './lib/proc-sample.js';
import {
  addMetrics,
  metricsDelta,
  scrapeServerMetrics,
  serverCostPerRun,
  type MetricsSnapshot,
  type ServerCostRow,
} from './lib/server-metrics.js';

const concurrencies = (process.env.CONCURRENCY ?? '1,10,50').split(',').map(Number);
const runsAt = (concurrency: number) => Number(process.env[`RUNS_AT_${concurrency}`] ?? Math.max(40, concurrency * 10));
const feedHosts = Number(process.env.FEED_HOSTS ?? 100);
const soakRuns = Number(process.env.SOAK_RUNS ?? 0);
const work = mkdtempSync(join(tmpdir(), 'newloom-start-path-'));
const children: ChildProcess[] = [];
// A bench that dies half-way must not leave its servers and workers running.
const stopOnExit: Array<() => void> = [() => children.forEach((child) => child.kill('SIGTERM'))];
process.on('exit', () => stopOnExit.forEach((stop) => stop()));
const log = (message: string) => console.log(`[start-path ${new Date().toISOString().slice(11, 19)}] ${message}`);

/** Starts a child and resolves once a line of its output matches `ready`. */
function startChild(name: string, args: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} not ready within 120 s`)), 120_000);
    child.once('exit', (code) => reject(new Error(`${name} exited (${code}) before it was ready`)));
    for (const stream of [child.stdout, child.stderr])
      createInterface({ input: stream }).on('line', (line) => {
        if (/"level":(50|60)|Error/.test(line)) console.error(`[${name}] ${line.slice(0, 400)}`);
        if (ready.test(line)) {
          clearTimeout(timer);
          resolve(child);
        }
      });
  });
}

// The Temporal server both installations share.
let temporalAddress = process.env.TEMPORAL_ADDRESS;
// The server's own counters, to compare what each kind of run costs it (SERVER_METRICS_URL with
// TEMPORAL_ADDRESS; the dev server started here serves them itself).
let serverMetricsUrl = process.env.SERVER_METRICS_URL;
let stopDevServer = async () => {};
let devServerPid: number | undefined;
if (!temporalAddress) {
  const cliPath = process.env.TEMPORAL_CLI_PATH;
  if (!cliPath) throw new Error('start-path needs TEMPORAL_CLI_PATH (or TEMPORAL_ADDRESS of a running server)');
  const metricsPort = await freePort();
  serverMetricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
  const devServer = await startDevServer({
    metricsPort,
    cliPath,
    host: '127.0.0.1',
    port: await freePort(),
    uiPort: await freePort(),
    dbFile: join(work, 'temporal.db'),
    namespace: 'default',
    searchAttributes: allSearchAttributeKeys,
    logger: createLogger('error'),
  });
  temporalAddress = devServer.address;
  devServerPid = devServer.pid;
  stopDevServer = () => devServer.stop();
  stopOnExit.push(() => void devServer.stop());
}
const client = new Client({ connection: await Connection.connect({ address: temporalAddress }) });

const feedHostServers = await startFeedHosts(feedHosts);
const { origins } = feedHostServers;

const apiPort = await freePort();
const apiUrl = `http://127.0.0.1:${apiPort}`;
// RUNTIME=compiled (the default, as npm start and the images run) runs both installations from
// JavaScript compiled with esbuild; RUNTIME=tsx runs their TypeScript sources through tsx.
const runtime = process.env.RUNTIME ?? 'compiled';
const entries = await (async () => {
  if (runtime === 'tsx')
    return { api: 'src/server.ts', worker: 'src/worker-main.ts', bareWorker: 'bench/lib/bare-worker.ts' };
  const buildDir = join(projectRoot, '.cache', 'bench-build');
  await compileEntryPoints(buildDir);
  const bareWorker = join(buildDir, 'bare-worker.mjs');
  await esbuild({
    entryPoints: ['bench/lib/bare-worker.ts'],
    outfile: bareWorker,
    ...compileSettings,
  });
  return {
    api: compiledEntryPath('server', buildDir),
    worker: compiledEntryPath('worker-main', buildDir),
    bareWorker,
  };
})();
const probe = [...(runtime === 'tsx' ? ['--import', 'tsx'] : []), '--import', './bench/lib/memory-probe.mjs'];
// DATABASE=postgres puts NewLoom's API and worker on a local PostgreSQL (Debian's, started here) instead
// of one SQLite file the two processes share.
const databaseUrl = await (async () => {
  if (process.env.DATABASE !== 'postgres') return `sqlite:${join(work, 'newloom.sqlite')}`;
  chmodSync(work, 0o755); // PostgreSQL runs as its own user under root and must reach its folder inside
  const postgres = startLocalPostgres({ dataDir: join(work, 'postgres'), port: await freePort() });
  stopOnExit.push(() => postgres.stop());
  await ensureDatabase(postgres.adminUrl, 'newloom');
  return postgres.urlFor('newloom');
})();
const newloomEnv = {
  TEMPORAL_ADDRESS: temporalAddress,
  API_PORT: String(apiPort),
  DATABASE_URL: databaseUrl,
  HTTP_ALLOWED_PRIVATE_HOSTS: '127.0.0.1',
  LOG_LEVEL: 'info',
};
// WORKER_ENV='KEY=value,…' and WORKER_NODE_ARGS='--flag …': settings for NewLoom's worker alone, to try a
// knob (WORKER_MAX_CACHED_WORKFLOWS=50) or profile it (--cpu-prof).
const workerEnv = Object.fromEntries(
  (process.env.WORKER_ENV ?? '')
    .split(',')
    .filter(Boolean)
    .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
);
const memoryFiles = { newloom: join(work, 'worker-memory.jsonl'), bare: join(work, 'bare-memory.jsonl') };
log(
  `server ${temporalAddress}, ${feedHosts} feed hosts, ${runtime} entry points, ${databaseUrl.split(':')[0]}, load ${loadAverages()}`,
);
// API_NODE_ARGS='--flag …': for the API alone (a CPU profile: --cpu-prof --cpu-prof-dir=…).
const apiNodeArgs = (process.env.API_NODE_ARGS ?? '').split(' ').filter(Boolean);
const api = await startChild('api', [...apiNodeArgs, ...probe, entries.api], newloomEnv, /Server listening/);
const [worker, bareWorker] = await Promise.all([
  startChild(
    'worker',
    [
      ...nodeArgumentsFor('worker-main'),
      ...(process.env.WORKER_NODE_ARGS ?? '').split(' ').filter(Boolean),
      ...probe,
      entries.worker,
    ],
    { ...newloomEnv, ...workerEnv, MEMORY_PROBE_FILE: memoryFiles.newloom },
    /worker running/,
  ),
  startChild(
    'bare-worker',
    [...probe, entries.bareWorker],
    {
      TEMPORAL_ADDRESS: temporalAddress,
      MEMORY_PROBE_FILE: memoryFiles.bare,
      BARE_WORKFLOWS_PATH: join(projectRoot, 'bench/lib/bare-workflow.ts'),
    },
    /^ready$/,
  ),
]);

/** The process's memory samples from its probe, between two times. */
function memoryBetween(kind: keyof typeof memoryFiles, from: number, to: number) {
  if (!existsSync(memoryFiles[kind])) return [];
  return readFileSync(memoryFiles[kind], 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { at: number; rss: number; heapUsed: number })
    .filter((sample) => sample.at >= from && sample.at <= to);
}
const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
function memoryFigures(kind: keyof typeof memoryFiles, from: number, to: number) {
  const samples = memoryBetween(kind, from, to);
  if (samples.length === 0) return null;
  return {
    rssPeakMb: mb(Math.max(...samples.map((sample) => sample.rss))),
    rssEndMb: mb(samples.at(-1)!.rss),
    // The lowest heap in a window is the live heap after its collections: what a leak would raise.
    heapFloorMb: mb(Math.min(...samples.map((sample) => sample.heapUsed))),
    heapPeakMb: mb(Math.max(...samples.map((sample) => sample.heapUsed))),
  };
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function callApi(
  method: string,
  path: string,
  body?: unknown,
): Promise<{
  status: number;
  json: { id: string; runId: string } & Record<string, unknown>;
  serverTiming: string | null;
}> {
  const response = await fetch(`${apiUrl}${path}`, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return {
    status: response.status,
    json: (text ? JSON.parse(text) : {}) as { id: string; runId: string } & Record<string, unknown>,
    serverTiming: response.headers.get('server-timing'),
  };
}

// One stream per fixture host. Loop `l` of `c` runs streams l, l+c, l+2c… in turn: no two loops share a
// stream (a stream runs one at a time), and a loop comes back to a host only after the others, so
// NewLoom's per-host politeness (1 s between requests to a host) does not set the pace at low concurrency.
const maxConcurrency = Math.max(...concurrencies, soakRuns > 0 ? 20 : 0);
if (feedHosts < maxConcurrency * 2) throw new Error(`FEED_HOSTS must be at least twice the top concurrency`);
const streamIds: string[] = [];
const createdStreams: Stream[] = [];
for (let n = 0; n < feedHosts; n += 1) {
  const { status, json } = await callApi('POST', '/streams', {
    name: `start-path ${n}`,
    type: 'rss_feed',
    config: { url: `${origins[n % origins.length]}/feed-${n}.xml`, respect_robots_txt: false },
  });
  if (status !== 201) throw new Error(`creating a stream answered ${status}: ${JSON.stringify(json)}`);
  streamIds.push(json.id);
  createdStreams.push(json as unknown as Stream);
}
const bareTaskQueue = 'bare-bench';
// BARE_START=newloom: the bare starts carry what a NewLoom start carries (its four search attributes, its
// summary and details, the stream's run input beside the feed's address, its id policies), so that the server's cost
// of NewLoom's heavier start request can be told from the cost of the API in front of it.
const bareStartLikeNewloom = process.env.BARE_START === 'newloom';

type Kind = 'newloom' | 'bare';
interface Batch {
  startMs: number[];
  /** Starts that failed (past the 4 s deadline, or refused): not counted as runs, tried again. */
  failedStarts: number;
  /** Per step of the API's start (its Server-Timing header), the milliseconds of each start. */
  stepMs: Record<string, number[]>;
  seconds: number;
  runs: number;
  /** CPU seconds each process used during the batch. */
  cpuSeconds: Record<string, number>;
  /** What the server's counters grew by during the batch (null without SERVER_METRICS_URL). */
  serverDelta: MetricsSnapshot | null;
}

/** What a NewLoom start of this stream sends beside its workflow type, for a bare start to carry too. */
function newloomShapedStart(stream: Stream, url: string) {
  const { typedSearchAttributes, staticSummary, staticDetails, args } = streamRunStartOptions(
    stream,
    'manual',
    bareTaskQueue,
  );
  // The bare workflow reads its first argument only; the second is there to be carried.
  return {
    typedSearchAttributes,
    staticSummary,
    staticDetails,
    args: [url, ...args],
    // The API starts every run so that a repeated request can answer it (runs.ts, onlyIfNew).
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
    workflowIdConflictPolicy: 'USE_EXISTING',
  } as const;
}

/** Starts one run and returns how long the start took and a promise of its end. */
async function startOne(
  kind: Kind,
  concurrency: number,
  loop: number,
  sequence: number,
  stepMs: Record<string, number[]>,
): Promise<{ ms: number; ended?: Promise<unknown> }> {
  const streamIndex = (loop + sequence * concurrency) % (feedHosts - (feedHosts % concurrency));
  const started = performance.now();
  let workflowId: string;
  if (kind === 'newloom') {
    const { status, json, serverTiming } = await callApi('POST', `/streams/${streamIds[streamIndex]}/runs`);
    // An overloaded server misses the API's start deadline (503); the run may then hold the stream (409).
    if (status !== 202) return { ms: performance.now() - started };
    for (const [, step, ms] of (serverTiming ?? '').matchAll(/([\w-]+);dur=([\d.]+)/g))
      (stepMs[step!] ??= []).push(Number(ms));
    workflowId = json.runId;
  } else {
    workflowId = `bare-${loop}-${sequence}-${Date.now()}`;
    const feedUrl = `${origins[streamIndex % origins.length]}/feed-${streamIndex}.xml`;
    try {
      await client.withDeadline(Date.now() + 4000, () =>
        client.workflow.start('bareFeedRun', {
          taskQueue: bareTaskQueue,
          workflowId,
          args: [feedUrl],
          ...(bareStartLikeNewloom ? newloomShapedStart(createdStreams[streamIndex]!, feedUrl) : {}),
        }),
      );
    } catch {
      return { ms: performance.now() - started }; // the same 4 s deadline the API gives a start
    }
  }
  const ms = performance.now() - started;
  return { ms, ended: client.workflow.getHandle(workflowId).result() };
}

/** CPU time used so far by each process of the bench (the dev server only when started here). */
function cpuByProcess(): Record<string, number> {
  const pids = {
    api: api.pid,
    worker: worker.pid,
    bareWorker: bareWorker.pid,
    temporal: devServerPid,
    bench: process.pid,
  };
  const used: Record<string, number> = {};
  for (const [name, pid] of Object.entries(pids)) {
    const sample = pid ? sampleProcess(pid) : undefined;
    if (sample) used[name] = sample.cpuSeconds;
  }
  return used;
}

async function runBatch(kind: Kind, concurrency: number, runs: number): Promise<Batch> {
  const startMs: number[] = [];
  const stepMs: Record<string, number[]> = {};
  let failedStarts = 0;
  let next = 0;
  const metricsBefore = serverMetricsUrl ? await scrapeServerMetrics(serverMetricsUrl) : null;
  const cpuBefore = cpuByProcess();
  const began = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, loop) => {
      for (let sequence = 0; next < runs; sequence += 1) {
        next += 1;
        const { ms, ended } = await startOne(kind, concurrency, loop, sequence, stepMs);
        if (!ended) {
          failedStarts += 1;
          next -= 1;
          await sleep(1000);
          continue;
        }
        startMs.push(ms);
        await ended;
      }
    }),
  );
  const seconds = (performance.now() - began) / 1000;
  const cpuAfter = cpuByProcess();
  const cpuSeconds = Object.fromEntries(
    Object.entries(cpuAfter).map(([name, used]) => [name, used - (cpuBefore[name] ?? 0)]),
  );
  const serverDelta =
    metricsBefore && serverMetricsUrl ? metricsDelta(metricsBefore, await scrapeServerMetrics(serverMetricsUrl)) : null;
  return { startMs, stepMs, failedStarts, seconds, runs, serverDelta, cpuSeconds };
}

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
};
const round = (value: number, digits = 1) => Number(value.toFixed(digits));
function merge(batches: Batch[]): {
  startMs: number[];
  stepP50: Record<string, number>;
  runsPerSecond: number;
  failedStarts: number;
  serverCost: ServerCostRow[] | null;
  cpuMsPerRun: Record<string, number>;
} {
  const runs = batches.reduce((sum, batch) => sum + batch.runs, 0);
  const seconds = batches.reduce((sum, batch) => sum + batch.seconds, 0);
  const steps = new Set(batches.flatMap((batch) => Object.keys(batch.stepMs)));
  const stepP50 = Object.fromEntries(
    [...steps].map((step) => [
      step,
      round(
        quantile(
          batches.flatMap((batch) => batch.stepMs[step] ?? []),
          0.5,
        ),
      ),
    ]),
  );
  return {
    startMs: batches.flatMap((batch) => batch.startMs),
    stepP50,
    runsPerSecond: runs / seconds,
    failedStarts: batches.reduce((sum, batch) => sum + batch.failedStarts, 0),
    cpuMsPerRun: Object.fromEntries(
      Object.keys(batches[0]?.cpuSeconds ?? {}).map((name) => [
        name,
        round((batches.reduce((sum, batch) => sum + (batch.cpuSeconds[name] ?? 0), 0) * 1000) / runs),
      ]),
    ),
    serverCost: batches.every((batch) => batch.serverDelta)
      ? serverCostPerRun(addMetrics(batches.map((batch) => batch.serverDelta!)), runs)
      : null,
  };
}

const idleSince = Date.now();
await sleep(10_000);
const idle = {
  newloom: memoryFigures('newloom', idleSince, Date.now()),
  bare: memoryFigures('bare', idleSince, Date.now()),
};
log(`idle workers: newloom ${JSON.stringify(idle.newloom)}, bare ${JSON.stringify(idle.bare)}`);

log('warming up (20 runs each, not counted)');
await runBatch('newloom', 5, 20);
await runBatch('bare', 5, 20);

// Where a start's time goes: each step of the API's start path alone, one at a time.
// visibilitySearch is the active-run check the API made before it read the database's record instead.
const steps: Record<string, number[]> = { http: [], streamRead: [], visibilitySearch: [], bareStart: [] };
for (let n = 0; n < 30; n += 1) {
  let started = performance.now();
  await callApi('GET', '/healthz');
  steps.http!.push(performance.now() - started);
  started = performance.now();
  await callApi('GET', `/streams/${streamIds[0]}`);
  steps.streamRead!.push(performance.now() - started);
  started = performance.now();
  const query = `${searchAttributes.streamId.name} = '${streamIds[0]}' AND ExecutionStatus = 'Running'`;
  for await (const execution of client.workflow.list({ query, pageSize: 5 })) void execution;
  steps.visibilitySearch!.push(performance.now() - started);
  started = performance.now();
  const handle = await client.workflow.start('bareFeedRun', {
    taskQueue: bareTaskQueue,
    workflowId: `bare-step-${n}-${Date.now()}`,
    args: [`${origins[0]}/feed-step.xml`],
  });
  steps.bareStart!.push(performance.now() - started);
  await handle.result();
}
const breakdown = Object.fromEntries(
  Object.entries(steps).map(([name, values]) => [name, round(quantile(values, 0.5))]),
);
log(`start path, p50 of each step alone (ms): ${JSON.stringify(breakdown)}`);

/** One side's start latencies and throughput, as the report gives them. */
function sideFigures(side: ReturnType<typeof merge>) {
  return {
    p50: round(quantile(side.startMs, 0.5)),
    p95: round(quantile(side.startMs, 0.95)),
    p99: round(quantile(side.startMs, 0.99)),
    runsPerSecond: round(side.runsPerSecond, 2),
    failedStarts: side.failedStarts,
  };
}

/** The server's work per run, NewLoom's beside the bare run's, one line per counter. */
function serverCostTable(newloom: ServerCostRow[], bare: ServerCostRow[]): string {
  const key = (row: ServerCostRow) => `${row.family} ${row.service} ${row.operation}`;
  const bareByKey = new Map(bare.map((row) => [key(row), row.perRun]));
  const keys = [...new Set([...newloom, ...bare].map(key))].sort();
  const newloomByKey = new Map(newloom.map((row) => [key(row), row.perRun]));
  return ['server work per run: newloom | bare | counter']
    .concat(
      keys.map(
        (k) =>
          `  ${String(newloomByKey.get(k) ?? 0).padStart(9)} | ${String(bareByKey.get(k) ?? 0).padStart(9)} | ${k}`,
      ),
    )
    .join('\n');
}

const results: Array<Record<string, unknown>> = [];
const loadedSince = Date.now();
for (const concurrency of concurrencies) {
  const runs = runsAt(concurrency);
  const half = Math.ceil(runs / 2);
  const load = loadAverages();
  const batches: Record<Kind, Batch[]> = { newloom: [], bare: [] };
  for (const kind of ['newloom', 'bare', 'bare', 'newloom'] as Kind[])
    batches[kind].push(await runBatch(kind, concurrency, half));
  const newloom = merge(batches.newloom);
  const bare = merge(batches.bare);
  const row = {
    concurrency,
    runs: half * 2,
    load,
    newloom: { ...sideFigures(newloom), stepP50: newloom.stepP50, cpuMsPerRun: newloom.cpuMsPerRun },
    bare: { ...sideFigures(bare), cpuMsPerRun: bare.cpuMsPerRun },
    startP50Ratio: round(quantile(newloom.startMs, 0.5) / quantile(bare.startMs, 0.5), 2),
    runsPerSecondRatio: round(newloom.runsPerSecond / bare.runsPerSecond, 2),
  };
  results.push({ ...row, serverCostPerRun: { newloom: newloom.serverCost, bare: bare.serverCost } });
  log(JSON.stringify(row));
  if (newloom.serverCost && bare.serverCost) log(serverCostTable(newloom.serverCost, bare.serverCost));
}
const loadedUntil = Date.now();
await sleep(15_000);
const memory = {
  idle,
  underLoad: {
    newloom: memoryFigures('newloom', loadedSince, loadedUntil),
    bare: memoryFigures('bare', loadedSince, loadedUntil),
  },
  after: {
    newloom: memoryFigures('newloom', loadedUntil + 5_000, Date.now()),
    bare: memoryFigures('bare', loadedUntil + 5_000, Date.now()),
  },
};
log(`worker memory: ${JSON.stringify(memory)}`);

// Growth per run: the worker's heap floor over windows of SOAK_WINDOW runs.
const soak: Array<{ runs: number; heapFloorMb: number; rssMb: number }> = [];
if (soakRuns > 0) {
  const window = Number(process.env.SOAK_WINDOW ?? 250);
  for (let done = 0; done < soakRuns; done += window) {
    const from = Date.now();
    await runBatch('newloom', 20, window);
    const figures = memoryFigures('newloom', from, Date.now());
    soak.push({ runs: done + window, heapFloorMb: figures?.heapFloorMb ?? NaN, rssMb: figures?.rssEndMb ?? NaN });
    log(`soak: ${JSON.stringify(soak.at(-1))}`);
  }
}

const apiRss = sampleProcess(api.pid!)?.rssMb;
const report = {
  at: new Date().toISOString(),
  load: loadAverages(),
  breakdown,
  results,
  memory,
  soak,
  apiRssMb: apiRss,
};
mkdirSync('.cache/bench', { recursive: true });
writeFileSync('.cache/bench/start-path.json', `${JSON.stringify(report, null, 2)}\n`);
console.log(JSON.stringify(report, null, 2));

for (const child of [worker, bareWorker, api]) child.kill('SIGTERM');
await Promise.all(
  [worker, bareWorker, api].map(
    (child) => new Promise((resolve) => (child.exitCode !== null ? resolve(0) : child.once('exit', resolve))),
  ),
);
await client.connection.close();
feedHostServers.close();
await stopDevServer();

import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { activeRunGate } from '../../src/temporal/active-run-gate.js';
import { startStreamRun } from '../../src/temporal/runs.js';
import { createStream, waitForRunToClose } from '../helpers/api.js';
import { readFixture } from '../helpers/fixtures.js';
import { createScratchDatabase } from '../helpers/postgres.js';
import { spawnWorkerProcess } from '../helpers/spawn-worker-process.js';
import { startTestStack, workflowBundle, type TestStack } from '../helpers/stack.js';

const postgresAdminUrl = inject('postgresAdminUrl');
const STREAMS = 10;
const MIN_INTERVAL_MS = 1000;

/** One site that answers slowly and remembers how many requests it had open at once, and when each came. */
class CountingSite {
  readonly arrivals: Array<{ at: number; path: string; agent: string }> = [];
  maxInFlight = 0;
  private inFlight = 0;
  private readonly server: Server;

  constructor() {
    const feed = readFixture('feeds/rss2-news.xml');
    this.server = createServer((request, response) => {
      this.inFlight += 1;
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
      this.arrivals.push({ at: Date.now(), path: request.url ?? '', agent: request.headers['user-agent'] ?? '' });
      // Slow enough that two requests let in together would overlap here.
      setTimeout(() => {
        this.inFlight -= 1;
        if (request.url === '/robots.txt')
          response.writeHead(200, { 'content-type': 'text/plain' }).end('User-agent: *\nAllow: /\n');
        else response.writeHead(200, { 'content-type': 'application/rss+xml' }).end(feed);
      }, 300);
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * Two worker processes on one PostgreSQL database share per-host politeness (src/db/host-leases.ts):
 * with the host limited to one request in flight and starts a second apart, the site sees exactly that,
 * whichever worker sends.
 */
describe.runIf(postgresAdminUrl)('politeness shared by two worker processes on PostgreSQL', () => {
  let stack: TestStack;
  let site: CountingSite;
  let origin: string;
  let bundlePath: string;
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    const databaseUrl = await createScratchDatabase(postgresAdminUrl, `polite_${randomUUID().replace(/-/g, '')}`);
    site = new CountingSite();
    [stack, origin] = await Promise.all([startTestStack({ databaseUrl }), site.listen()]);
    bundlePath = (await workflowBundle()).codePath;
  }, 120_000);

  afterAll(async () => {
    for (const worker of workers) worker.kill('SIGKILL');
    await stack?.close();
    await site?.close();
  });

  it(`holds one request in flight and ${MIN_INTERVAL_MS} ms between starts across both workers, for ${STREAMS} streams`, async () => {
    const taskQueue = `polite-${randomUUID()}`;
    for (const name of ['worker-a', 'worker-b']) {
      workers.push(
        await spawnWorkerProcess({
          DATABASE_URL: stack.databaseUrl,
          TEMPORAL_ADDRESS: inject('temporalAddress'),
          TASK_QUEUE: taskQueue,
          WORKFLOW_BUNDLE_PATH: bundlePath,
          HTTP_USER_AGENT: `NewLoom-${name}`,
          HTTP_HOST_CONCURRENCY: '1',
          HTTP_HOST_MIN_INTERVAL_MS: String(MIN_INTERVAL_MS),
        }),
      );
    }
    const streams = await Promise.all(
      Array.from({ length: STREAMS }, (_, n) =>
        createStream(stack.app, { name: `polite ${n}`, type: 'rss_feed', config: { url: `${origin}/feed-${n}.xml` } }),
      ),
    );
    const runIds = await Promise.all(
      streams.map((stream) =>
        startStreamRun({ client: stack.client, taskQueue }, activeRunGate(stack.db, stack.client), stream, 'manual'),
      ),
    );
    const runs = await Promise.all(runIds.map((runId) => waitForRunToClose(stack.app, runId, 90_000)));

    expect(runs.map((run) => run.status)).toEqual(Array(STREAMS).fill('completed'));
    const feeds = site.arrivals.filter((arrival) => arrival.path.startsWith('/feed-'));
    expect(feeds).toHaveLength(STREAMS);
    // Both processes did the work: the politeness held across them, not inside one.
    expect(new Set(site.arrivals.map((arrival) => arrival.agent))).toEqual(
      new Set(['NewLoom-worker-a', 'NewLoom-worker-b']),
    );
    expect(site.maxInFlight).toBe(1);
    const gaps = site.arrivals.slice(1).map((arrival, n) => arrival.at - site.arrivals[n]!.at);
    console.log(`shared politeness: ${site.arrivals.length} requests, gaps ${gaps.join(', ')} ms`);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(MIN_INTERVAL_MS);
    // One robots.txt answer serves every worker: the first to ask claims the fetch, the others wait for it.
    expect(site.arrivals.filter((arrival) => arrival.path === '/robots.txt').length).toBe(1);
  }, 150_000);
});

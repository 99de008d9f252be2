import Libsql from 'libsql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStream, startRun, waitFor, waitForRunToClose } from '../helpers/api.js';
import { FixtureServer } from '../helpers/fixture-server.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';

let stack: TestStack;
let site: FixtureServer;

beforeAll(async () => {
  [stack, site] = await Promise.all([startTestStack(), FixtureServer.start()]);
});
afterAll(async () => {
  await Promise.all([stack?.close(), site?.close()]);
});

/** The longest gap between ticks of a 20 ms timer while `work` runs: how long the process stood still. */
async function longestStall<T>(work: () => Promise<T>): Promise<{ value: T; stallMs: number }> {
  let last = performance.now();
  let stallMs = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    stallMs = Math.max(stallMs, now - last - 20);
    last = now;
  }, 20);
  try {
    return { value: await work(), stallMs };
  } finally {
    clearInterval(timer);
  }
}

/**
 * Another process holding the SQLite file's write lock (a backup, a sqlite3 shell, a second stack) used to
 * freeze this one for 5 s per blocked write: its activities missed their heartbeats and were retried.
 * The worker runs in this test's process, so a frozen event loop is a stall this test measures.
 */
describe('a run while another handle holds the SQLite write lock', () => {
  it('waits for the lock without freezing the process, heartbeats on, and completes on its first attempt', async () => {
    const feedUrl = site.route('/locked.xml', { fixture: 'feeds/rss2-news.xml' });
    const stream = await createStream(stack.app, {
      name: 'locked db feed',
      type: 'rss_feed',
      config: { url: feedUrl, respect_robots_txt: false },
      runPolicy: { heartbeatTimeoutSeconds: 3 },
    });

    const holder = new Libsql(stack.databaseUrl.replace(/^sqlite:/, ''));
    holder.exec('BEGIN EXCLUSIVE');
    const released = new Promise<void>((resolve) =>
      setTimeout(() => {
        holder.exec('COMMIT');
        holder.close();
        resolve();
      }, 6000),
    );
    const { value: run, stallMs } = await longestStall(async () => {
      const runId = await startRun(stack.app, stream.id);
      await waitFor(() => (site.requestsTo('/locked.xml').length > 0 ? true : undefined), 10_000);
      const healthStarted = performance.now();
      const health = await stack.app.inject({ method: 'GET', url: '/healthz' });
      expect(health.statusCode).toBe(200);
      expect(performance.now() - healthStarted).toBeLessThan(1000);
      await released;
      return waitForRunToClose(stack.app, runId, 60_000);
    });

    expect(run.status).toBe('completed');
    expect(run.result).toMatchObject({ attempt: 1, counts: { new: 4 } });
    expect(site.requestsTo('/locked.xml')).toHaveLength(1);
    // Before: one stall of ~5,000 ms per blocked write. A busy machine may pause a few hundred.
    expect(stallMs).toBeLessThan(1500);
  });
});

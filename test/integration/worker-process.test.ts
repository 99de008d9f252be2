import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { Worker } from '@temporalio/worker';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildWorkerActivities } from '../../src/temporal/worker-activities.js';
import { saveItems } from '../../src/db/items-repository.js';
import { ensureSourceNamed } from '../../src/db/sources-repository.js';
import { activeRunGate } from '../../src/temporal/active-run-gate.js';
import { startStreamRun } from '../../src/temporal/runs.js';
import { createStream, waitFor, waitForRunToClose } from '../helpers/api.js';
import { FakeBotApi } from '../helpers/fake-bot-api.js';
import { FixtureServer } from '../helpers/fixture-server.js';
import { startTestStack, testHttpSettings, workflowBundle, type TestStack } from '../helpers/stack.js';
import { createLogger } from '../../src/logger.js';
import { createWorker } from '../../src/temporal/worker.js';
import { freePort } from '../helpers/free-port.js';
import { spawnWorkerProcess } from '../helpers/spawn-worker-process.js';

const TOKEN = '123456789:AAH-crash-test-token-kept-secret_c9';

let stack: TestStack;
let bundlePath: string;
let site: FixtureServer;
let telegram: FakeBotApi;
const children: ChildProcess[] = [];

beforeAll(async () => {
  [stack, site, telegram] = await Promise.all([startTestStack(), FixtureServer.start(), FakeBotApi.start([TOKEN])]);
  bundlePath = (await workflowBundle()).codePath;
});

afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

afterAll(async () => {
  await stack?.close();
  await site?.close();
  await telegram?.close();
});

/** A worker in its own process on `taskQueue`, resolved once it polls. */
async function workerProcess(taskQueue: string, extraEnv: Record<string, string> = {}): Promise<ChildProcess> {
  const child = await spawnWorkerProcess({
    DATABASE_URL: stack.databaseUrl,
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TASK_QUEUE: taskQueue,
    TELEGRAM_API_BASE_URL: telegram.origin,
    TELEGRAM_BOT_TOKEN: TOKEN,
    WORKFLOW_BUNDLE_PATH: bundlePath,
    ...extraEnv,
  });
  children.push(child);
  return child;
}

/** The worker that takes over: the real activities, with the production worker settings, on the same queue. */
async function survivingWorker(taskQueue: string): Promise<Worker> {
  return createWorker({
    connection: stack.workerConnection,
    namespace: 'default',
    taskQueue,
    workflowBundle: await workflowBundle(),
    activities: buildWorkerActivities({
      db: stack.db,
      logger: createLogger('error'),
      http: testHttpSettings,
      telegram: { apiBaseUrl: telegram.origin, botTokens: { TELEGRAM_BOT_TOKEN: TOKEN }, timeoutMs: 5000 },
    }),
  });
}

// Attempts whose worker vanished are noticed by their heartbeat timeout, kept short here (workers
// heartbeat every second, so 4 s leaves room for a busy machine).
const quickRecovery = { heartbeatTimeoutSeconds: 4, initialIntervalSeconds: 0.2 };
const CRASH_TEST_TIMEOUT_MS = 120_000;

describe('a worker killed mid-run', () => {
  it(
    'loses nothing: another worker retries the collection and the items are saved once',
    async () => {
      const taskQueue = `crash-${randomUUID()}`;
      const feedUrl = site.route('/crash.xml', { hold: true }, { fixture: 'feeds/rss2-news.xml' });
      const stream = await createStream(stack.app, {
        name: 'crash feed',
        type: 'rss_feed',
        config: { url: feedUrl, respect_robots_txt: false },
        runPolicy: quickRecovery,
      });
      const doomed = await workerProcess(taskQueue);

      const runId = await startStreamRun(
        { client: stack.client, taskQueue },
        activeRunGate(stack.db, stack.client),
        stream,
        'manual',
      );
      await waitFor(() => (site.requestsTo('/crash.xml').length === 1 ? true : undefined), 30_000);
      doomed.kill('SIGKILL');

      const survivor = await survivingWorker(taskQueue);
      const run = await survivor.runUntil(waitForRunToClose(stack.app, runId, 60_000));

      expect(run.status).toBe('completed');
      expect(run.result).toMatchObject({ attempt: 2, counts: { new: 4, duplicate: 0 } });
      expect(site.requestsTo('/crash.xml')).toHaveLength(2);
      expect(
        await stack.db.selectFrom('items').select('canonical_url').where('run_id', '=', runId).execute(),
      ).toHaveLength(4);
    },
    CRASH_TEST_TIMEOUT_MS,
  );

  it(
    'never posts twice: the message in flight when the worker died is recorded unknown, the rest are sent by the next worker',
    async () => {
      const taskQueue = `crash-${randomUUID()}`;
      const source = await ensureSourceNamed(stack.db, 'crash source');
      const items = [1, 2, 3].map((n) => ({
        url: `https://news.example.test/crash/${n}`,
        canonicalUrl: `https://news.example.test/crash/${n}`,
        title: `Crash story ${n}`,
        summary: null,
        author: null,
        publishedAt: null,
      }));
      await saveItems(stack.db, { runId: 'seed-crash', streamId: 'seed', sourceId: source.id, items });
      const stream = await createStream(stack.app, {
        name: 'crash publisher',
        type: 'telegram_publish',
        config: { channel_id: '@crash_channel', sources: [source.id], delay_between_messages: 0 },
        runPolicy: quickRecovery,
      });
      telegram.answerNext({ hold: true });
      const doomed = await workerProcess(taskQueue);

      const runId = await startStreamRun(
        { client: stack.client, taskQueue },
        activeRunGate(stack.db, stack.client),
        stream,
        'manual',
      );
      const sent = () => telegram.calls.filter((call) => call.chatId === '@crash_channel');
      await waitFor(() => (sent().length === 1 ? true : undefined), 30_000);
      doomed.kill('SIGKILL');

      const survivor = await survivingWorker(taskQueue);
      const run = await survivor.runUntil(waitForRunToClose(stack.app, runId, 60_000));

      expect(run.status).toBe('completed');
      expect(run.result).toMatchObject({ attempt: 2, counts: { published: 2, unknown: 1 } });
      expect(run.result?.warnings).toEqual([expect.stringContaining('marked unknown, not re-sent')]);
      expect(sent().map((call) => call.text.split('\n')[0])).toEqual([
        '<b>Crash story 1</b>',
        '<b>Crash story 2</b>',
        '<b>Crash story 3</b>',
      ]);
      const rows = await stack.db
        .selectFrom('publications')
        .select(['item_id', 'status'])
        .where('run_id', '=', runId)
        .orderBy('item_id')
        .execute();
      expect(rows.map((row) => row.status)).toEqual(['unknown', 'sent', 'sent']);
    },
    CRASH_TEST_TIMEOUT_MS,
  );
});

describe('a worker process with WORKER_METRICS_ADDRESS', () => {
  it(
    'serves its Temporal metrics for Prometheus, counting the activities it ran',
    async () => {
      const taskQueue = `metrics-${randomUUID()}`;
      const port = await freePort();
      const feedUrl = site.route('/metrics-feed.xml', { fixture: 'feeds/rss2-news.xml' });
      const stream = await createStream(stack.app, {
        name: 'metrics feed',
        type: 'rss_feed',
        config: { url: feedUrl, respect_robots_txt: false },
      });
      await workerProcess(taskQueue, { WORKER_METRICS_ADDRESS: `127.0.0.1:${port}` });

      const run = await waitForRunToClose(
        stack.app,
        await startStreamRun(
          { client: stack.client, taskQueue },
          activeRunGate(stack.db, stack.client),
          stream,
          'manual',
        ),
        60_000,
      );
      expect(run.status).toBe('completed');

      const metrics = await waitFor(async () => {
        const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
        return /temporal_activity_execution_latency\w*\{[^}]*activity_type="rss_feed"/.test(text) ? text : undefined;
      }, 20_000);
      expect(metrics).toMatch(new RegExp(`temporal_workflow_completed\\w*\\{[^}]*task_queue="${taskQueue}"`));
    },
    CRASH_TEST_TIMEOUT_MS,
  );
});

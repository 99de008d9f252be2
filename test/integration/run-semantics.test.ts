import { randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStoreActivities } from '../../activities/store.js';
import { storePorts } from '../../src/db/activity-ports.js';
import type { CollectionOutput, StreamRunInput, StreamRunResult } from '../../schemas/stream-run.js';
import { workflowTypes } from '../../schemas/temporal-names.js';
import { ensureSourceNamed } from '../../src/db/sources-repository.js';
import { insertStream, type Stream } from '../../src/db/streams-repository.js';
import type { RunPage } from '../../src/temporal/run-history.js';
import { createStream, startRun, waitFor, waitForRunToClose, getRun } from '../helpers/api.js';
import { FixtureServer } from '../helpers/fixture-server.js';
import { startTestStack, workflowBundle, type TestStack } from '../helpers/stack.js';

let stack: TestStack;
let site: FixtureServer;

beforeAll(async () => {
  [stack, site] = await Promise.all([startTestStack(), FixtureServer.start()]);
});

afterAll(async () => {
  await stack?.close();
  await site?.close();
});

function historyTime(event: { eventTime?: { seconds?: unknown; nanos?: number | null } | null }): number {
  const seconds = event.eventTime?.seconds as number | { toNumber(): number } | undefined;
  const whole = typeof seconds === 'number' ? seconds : (seconds?.toNumber() ?? 0);
  return whole * 1000 + Math.floor((event.eventTime?.nanos ?? 0) / 1e6);
}

describe('retries that know the failure', () => {
  it('waits for the Retry-After a 429 asks for before the next attempt', async () => {
    const feedUrl = site.route(
      '/rate-limited.xml',
      { status: 429, headers: { 'retry-after': '2' } },
      { fixture: 'feeds/atom-blog.xml' },
    );
    const stream = await createStream(stack.app, { name: 'rate limited', type: 'rss_feed', config: { url: feedUrl } });
    const runId = await startRun(stack.app, stream.id);

    const run = await waitForRunToClose(stack.app, runId);
    expect(run.status).toBe('completed');
    expect(run.result?.attempt).toBe(2);

    const events = (await stack.client.workflow.getHandle(runId).fetchHistory()).events ?? [];
    const scheduled = events.find(
      (event) => event.activityTaskScheduledEventAttributes?.activityType?.name === 'rss_feed',
    );
    const started = events.find(
      (event) =>
        event.activityTaskStartedEventAttributes &&
        event.activityTaskStartedEventAttributes.scheduledEventId?.toString() === scheduled?.eventId?.toString(),
    );
    expect(started?.activityTaskStartedEventAttributes?.attempt).toBe(2);
    // Without Retry-After the first retry would come after the 1 s initial interval.
    const waited = historyTime(started!) - historyTime(scheduled!);
    expect(waited).toBeGreaterThanOrEqual(1900);
    expect(waited).toBeLessThan(5000);
  });

  it('shows the attempt number and the last error while a run is being retried', async () => {
    const feedUrl = site.route('/down.xml', { status: 503 });
    const stream = await createStream(stack.app, {
      name: 'down for a while',
      type: 'rss_feed',
      config: { url: feedUrl },
      runPolicy: { initialIntervalSeconds: 0.5, maximumIntervalSeconds: 1, maximumAttempts: 4 },
    });
    const runId = await startRun(stack.app, stream.id);

    const retrying = await waitFor(async () => {
      const run = await getRun(stack.app, runId);
      return run.progress && run.progress.attempt >= 2 ? run : undefined;
    });
    expect(retrying.progress?.lastError).toContain('503');

    const run = await waitForRunToClose(stack.app, runId);
    expect(run.status).toBe('failed');
    expect(run.error?.message).toContain('503');
    expect(site.requestsTo('/down.xml')).toHaveLength(4);
  });
});

describe('an attempt that stops heartbeating', () => {
  it('is timed out by its heartbeat timeout and retried', async () => {
    const source = await ensureSourceNamed(stack.db, `stall-${randomUUID()}`);
    const stream: Stream = await insertStream(stack.db, {
      name: `stall-${randomUUID()}`,
      taskType: 'rss_feed',
      config: {},
      sourceId: source.id,
    });
    const taskQueue = `stall-${randomUUID()}`;
    const attemptsSeen: number[] = [];
    // A collection activity standing in for a wedged one: attempt 1 goes silent well past the
    // heartbeat timeout, attempt 2 answers at once.
    const stallingCollector = async (): Promise<CollectionOutput> => {
      const { attempt } = Context.current().info;
      attemptsSeen.push(attempt);
      if (attempt === 1) await new Promise((resolve) => setTimeout(resolve, 5000));
      return {
        items: [
          {
            url: 'https://x.test/a',
            canonicalUrl: 'https://x.test/a',
            title: 'a',
            summary: null,
            author: null,
            publishedAt: null,
          },
        ],
        found: 1,
        attempt,
      };
    };
    const worker = await Worker.create({
      connection: stack.workerConnection,
      taskQueue,
      workflowBundle: await workflowBundle(),
      activities: { rss_feed: stallingCollector, ...createStoreActivities(storePorts(stack.db).runRecords) },
    });
    const input: StreamRunInput = {
      streamId: stream.id,
      streamName: stream.name,
      sourceId: source.id,
      taskType: 'rss_feed',
      config: { url: 'https://x.test/feed.xml' },
      runPolicy: { heartbeatTimeoutSeconds: 2, initialIntervalSeconds: 0.2 },
    };

    const result = (await worker.runUntil(
      stack.client.workflow.execute(workflowTypes.streamRun, {
        taskQueue,
        workflowId: `stall-${randomUUID()}`,
        args: [input],
      }),
    )) as StreamRunResult;

    expect(result.attempt).toBe(2);
    expect(attemptsSeen).toEqual([1, 2]);
    expect(result.counts.new).toBe(1);
  });
});

describe('run history and live progress', () => {
  it("lists a stream's runs from Temporal visibility, newest first, with counts and errors", async () => {
    const feedUrl = site.route('/history.xml', { fixture: 'feeds/json-feed.json' }, { status: 410 });
    const stream = await createStream(stack.app, { name: 'history', type: 'rss_feed', config: { url: feedUrl } });
    const first = await startRun(stack.app, stream.id);
    await waitForRunToClose(stack.app, first);
    const second = await startRun(stack.app, stream.id);
    await waitForRunToClose(stack.app, second);

    const page = await waitFor(async () => {
      const response = await stack.app.inject({ method: 'GET', url: `/streams/${stream.id}/runs?pageSize=1` });
      const body = response.json<RunPage>();
      return body.runs[0]?.id === second && body.runs[0].status === 'failed' ? body : undefined;
    });
    expect(page.runs).toHaveLength(1);
    expect(page.runs[0]).toMatchObject({ status: 'failed', trigger: 'manual' });
    expect(page.runs[0]?.error).toContain('410');
    expect(page.nextCursor).not.toBeNull();

    const next = (
      await stack.app.inject({ method: 'GET', url: `/streams/${stream.id}/runs?pageSize=1&cursor=${page.nextCursor}` })
    ).json<RunPage>();
    expect(next.runs[0]).toMatchObject({ id: first, status: 'completed', counts: { new: 2 } });
    expect(next.runs[0]?.startedAt).not.toBeNull();

    const badCursor = await stack.app.inject({
      method: 'GET',
      url: `/streams/${stream.id}/runs?cursor=bm90LWEtY3Vyc29y`,
    });
    expect(badCursor.statusCode).toBe(400);
  });

  it('streams progress as Server-Sent Events until the run closes', async () => {
    const feedUrl = site.route('/sse.xml', { status: 503 }, { fixture: 'feeds/rss2-news.xml' });
    const stream = await createStream(stack.app, {
      name: 'sse',
      type: 'rss_feed',
      config: { url: feedUrl },
      runPolicy: { initialIntervalSeconds: 1 },
    });
    const runId = await startRun(stack.app, stream.id);

    const response = await stack.app.inject({ method: 'GET', url: `/runs/${runId}/events?intervalMs=100` });

    expect(response.headers['content-type']).toBe('text/event-stream');
    const events = response.body
      .trim()
      .split('\n\n')
      .map((block) => {
        const [eventLine, dataLine] = block.split('\n');
        return {
          event: eventLine?.replace('event: ', ''),
          data: JSON.parse(dataLine?.replace('data: ', '') ?? 'null') as Record<string, unknown>,
        };
      });
    expect(events[0]?.event).toBe('progress');
    expect(events.at(-1)?.event).toBe('end');
    expect(events.at(-1)?.data).toMatchObject({ id: runId, status: 'completed' });
    expect(events.some((event) => (event.data.progress as { attempt?: number } | undefined)?.attempt === 2)).toBe(true);
  });
});

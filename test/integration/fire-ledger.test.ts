import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FireLedger } from '../../src/temporal/fire-ledger.js';
import { scheduleIdFor } from '../../src/temporal/schedules.js';
import { createStream, waitFor } from '../helpers/api.js';
import { FixtureServer } from '../helpers/fixture-server.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';

let stack: TestStack;
let site: FixtureServer;
const stuckRuns: string[] = [];

beforeAll(async () => {
  [stack, site] = await Promise.all([startTestStack(), FixtureServer.start()]);
});

afterAll(async () => {
  for (const workflowId of stuckRuns)
    await stack.client.workflow
      .getHandle(workflowId)
      .terminate('test over')
      .catch(() => undefined);
  await stack?.close();
  await site?.close();
});

/**
 * The stream's schedule made to fire every 2 s (and, optionally, to start its runs on a task queue no
 * worker polls: a stopped worker), so a test sees many fires in seconds. The ledger reads the spec it
 * finds in Temporal, as it would an hourly one.
 */
async function fireEveryTwoSeconds(streamId: string, taskQueue?: string): Promise<void> {
  await stack.client.schedule.getHandle(scheduleIdFor(streamId)).update((current) => ({
    ...current,
    spec: { intervals: [{ every: '2s' }] },
    action: taskQueue && current.action.type === 'startWorkflow' ? { ...current.action, taskQueue } : current.action,
  }));
}

/** While a fire waits on an unpolled queue, describing the schedule can time out (503); the operator, like this, asks again. */
async function ledgerIfAnswered(streamId: string, since: Date): Promise<FireLedger | undefined> {
  const response = await stack.app.inject({
    method: 'GET',
    url: `/streams/${streamId}/fires?since=${encodeURIComponent(since.toISOString())}`,
  });
  if (response.statusCode === 503) return undefined;
  expect(response.statusCode, response.body).toBe(200);
  return response.json<FireLedger>();
}

describe('GET /streams/:id/fires', () => {
  it('names the run each fire started, the run that made the overlap policy skip one, and fires not due while paused', async () => {
    // Every fetch hangs until the 4-second attempt gives up: runs overlap the 2-second fires.
    const url = site.route('/slow.xml', { hold: true });
    const stream = await createStream(stack.app, {
      name: 'slow feed',
      type: 'rss_feed',
      config: { url },
      frequency: '1hour',
      runPolicy: { maximumAttempts: 1, startToCloseTimeoutSeconds: 4 },
    });
    const since = new Date();
    await fireEveryTwoSeconds(stream.id);

    const withSkips = await waitFor(async () => {
      const current = await ledgerIfAnswered(stream.id, since);
      return current && current.summary.started >= 1 && current.summary.skipped_overlap >= 2 ? current : undefined;
    }, 30_000);
    const started = new Set(withSkips.fires.filter((fire) => fire.outcome === 'started').map((fire) => fire.runId));
    const skipped = withSkips.fires.filter((fire) => fire.outcome === 'skipped_overlap');
    for (const fire of skipped) expect(started.has(fire.runningRunId)).toBe(true);
    expect(withSkips.fires.every((fire) => fire.outcome !== 'missed')).toBe(true);
    expect(withSkips.schedule.skippedOverlap).toBeGreaterThanOrEqual(1);

    // Paused through the API for a few fires, then resumed.
    const pausedAt = new Date();
    expect(
      (await stack.app.inject({ method: 'POST', url: `/streams/${stream.id}/pause`, payload: { note: 'site down' } }))
        .statusCode,
    ).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 4500));
    expect((await stack.app.inject({ method: 'POST', url: `/streams/${stream.id}/resume` })).statusCode).toBe(200);
    const resumedAt = new Date();
    // The resume synced the schedule back to its hourly spec: the 2-second one again, as the ledger reads it.
    await fireEveryTwoSeconds(stream.id);
    const afterPause = await waitFor(() => ledgerIfAnswered(stream.id, since), 30_000);
    const notDue = afterPause.fires.filter((fire) => fire.outcome === 'not_due_paused');
    expect(notDue.length).toBeGreaterThanOrEqual(1);
    for (const fire of notDue) {
      expect(Date.parse(fire.at)).toBeGreaterThanOrEqual(pausedAt.getTime() - 1000);
      expect(Date.parse(fire.at)).toBeLessThanOrEqual(resumedAt.getTime());
      expect(fire.explanation).toContain('site down');
    }
  });

  it('shows the fires made while no worker was polling: one run waiting for a worker, the others skipped behind it', async () => {
    const url = site.route('/fine.xml', { fixture: 'feeds/rss2-news.xml' });
    const stream = await createStream(stack.app, {
      name: 'no worker',
      type: 'rss_feed',
      config: { url },
      frequency: '1hour',
    });
    const since = new Date();
    await fireEveryTwoSeconds(stream.id, `nobody-polls-${randomUUID()}`);

    const stalled = await waitFor(async () => {
      const current = await ledgerIfAnswered(stream.id, since);
      return current && current.summary.skipped_overlap >= 2 ? current : undefined;
    }, 60_000);
    const waiting = stalled.fires.find((fire) => fire.outcome === 'started');
    expect(waiting?.runStatus).toBe('running');
    stuckRuns.push(waiting!.runId!);
    for (const fire of stalled.fires.filter((candidate) => candidate.outcome === 'skipped_overlap'))
      expect(fire.runningRunId).toBe(waiting?.runId);
  });

  it('refuses a window of more than 7 days or more fires than one answer carries, with the field', async () => {
    const stream = await createStream(stack.app, {
      name: 'windowed',
      type: 'rss_feed',
      config: { url: site.url('/x.xml') },
      frequency: '1hour',
    });
    const response = await stack.app.inject({
      method: 'GET',
      url: `/streams/${stream.id}/fires?since=2020-01-01T00:00:00Z`,
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('query.since');
    expect((await stack.app.inject({ method: 'GET', url: '/streams/str_nope/fires' })).statusCode).toBe(404);
  });
});

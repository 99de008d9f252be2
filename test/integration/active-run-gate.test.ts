import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newloomApi } from '../../src/api/app.js';
import { claimActiveRun, listActiveRunClaims } from '../../src/db/active-runs-repository.js';
import { STARTING_CLAIM_GRACE_MS } from '../../src/temporal/active-run-gate.js';
import { scheduleIdFor } from '../../src/temporal/schedules.js';
import { createStream, startRun, waitFor, waitForRunToClose } from '../helpers/api.js';
import { FixtureServer } from '../helpers/fixture-server.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';

let stack: TestStack;
let site: FixtureServer;

beforeAll(async () => {
  [stack, site] = await Promise.all([startTestStack(), FixtureServer.start()]);
});

afterAll(async () => {
  await stack?.close();
  await site?.close();
});

const runNow = (streamId: string, app = stack.app) => app.inject({ method: 'POST', url: `/streams/${streamId}/runs` });
const cancel = (runId: string) => stack.app.inject({ method: 'POST', url: `/runs/${runId}/cancel` });

describe('the active-run check reads the database record of running runs', () => {
  it('lets exactly one of many racing starts in, and frees the stream when that run ends', async () => {
    const feedUrl = site.route('/race.xml', { hold: true });
    const stream = await createStream(stack.app, { name: 'race', type: 'rss_feed', config: { url: feedUrl } });

    const answers = await Promise.all(Array.from({ length: 8 }, () => runNow(stream.id)));
    const started = answers.filter((answer) => answer.statusCode === 202);
    const refused = answers.filter((answer) => answer.statusCode === 409);
    expect(started).toHaveLength(1);
    expect(refused).toHaveLength(7);
    const runId = started[0]!.json<{ runId: string }>().runId;
    for (const answer of refused) expect(answer.json().error.message).toContain(runId);
    expect((await listActiveRunClaims(stack.db, stream.id)).map((claim) => claim.runId)).toEqual([runId]);

    await cancel(runId);
    expect((await waitForRunToClose(stack.app, runId)).status).toBe('cancelled');
    expect(await listActiveRunClaims(stack.db, stream.id)).toEqual([]);
    site.route('/race.xml', { body: '<rss version="2.0"><channel><title>t</title></channel></rss>' });
    const next = await runNow(stream.id);
    expect(next.statusCode, next.body).toBe(202);
    expect((await waitForRunToClose(stack.app, next.json<{ runId: string }>().runId)).status).toBe('completed');
  });

  it('still refuses after the API restarts, because the claim lives in the database', async () => {
    const feedUrl = site.route('/restart.xml', { hold: true });
    const stream = await createStream(stack.app, { name: 'restart', type: 'rss_feed', config: { url: feedUrl } });
    const runId = await startRun(stack.app, stream.id);
    await waitFor(() => site.requestsTo('/restart.xml')[0]);

    const restarted = Fastify();
    await restarted.register(newloomApi, {
      db: stack.db,
      temporal: { client: stack.client, taskQueue: stack.taskQueue },
    });
    try {
      const refused = await runNow(stream.id, restarted);
      expect(refused.statusCode).toBe(409);
      expect(refused.json().error.message).toContain(runId);
    } finally {
      await restarted.close();
    }
    await cancel(runId);
    await waitForRunToClose(stack.app, runId);
  });

  it('sees a scheduled run, which claims the stream in its first activity', async () => {
    const feedUrl = site.route('/scheduled.xml', { hold: true });
    const stream = await createStream(stack.app, {
      name: 'scheduled busy',
      type: 'rss_feed',
      config: { url: feedUrl },
      frequency: 'daily',
    });
    await stack.client.schedule.getHandle(scheduleIdFor(stream.id)).trigger();
    await waitFor(() => site.requestsTo('/scheduled.xml')[0], 30_000);
    const [claim] = await waitFor(async () => {
      const claims = await listActiveRunClaims(stack.db, stream.id);
      return claims.length > 0 ? claims : undefined;
    });
    expect(claim!.runId).toMatch(new RegExp(`^${stream.id}-scheduled-`));

    const refused = await runNow(stream.id);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toContain(claim!.runId);
    await cancel(claim!.runId);
    await waitForRunToClose(stack.app, claim!.runId);
    expect(await listActiveRunClaims(stack.db, stream.id)).toEqual([]);
  });

  it('drops a claim whose run ended without recording it (terminated), and a stale claim of a run never started', async () => {
    const feedUrl = site.route('/terminated.xml', { hold: true });
    const stream = await createStream(stack.app, { name: 'terminated', type: 'rss_feed', config: { url: feedUrl } });
    const terminated = await startRun(stack.app, stream.id);
    await waitFor(() => site.requestsTo('/terminated.xml')[0]);
    await stack.client.workflow.getHandle(terminated).terminate('test: the outcome is never recorded');
    expect((await listActiveRunClaims(stack.db, stream.id)).map((claim) => claim.runId)).toEqual([terminated]);

    // A claim of a run Temporal never heard of: fresh, it may be a start in flight and holds the stream.
    const inFlight = `${stream.id}-20261206T000000Z-abcd`;
    await claimActiveRun(stack.db, { streamId: stream.id, runId: inFlight });
    const held = await runNow(stream.id);
    expect(held.statusCode).toBe(409);
    expect(held.json().error.message).toContain(inFlight);

    // Past the grace period it counts as abandoned; the terminated run's claim is found closed.
    await stack.db
      .updateTable('active_runs')
      .set({ claimed_at: new Date(Date.now() - STARTING_CLAIM_GRACE_MS - 1000).toISOString() })
      .where('run_id', '=', inFlight)
      .execute();
    site.route('/terminated.xml', { body: '<rss version="2.0"><channel><title>t</title></channel></rss>' });
    const next = await runNow(stream.id);
    expect(next.statusCode, next.body).toBe(202);
    const nextRunId = next.json<{ runId: string }>().runId;
    expect((await listActiveRunClaims(stack.db, stream.id)).map((claim) => claim.runId)).toEqual([nextRunId]);
    expect((await waitForRunToClose(stack.app, nextRunId)).status).toBe('completed');
  });
});

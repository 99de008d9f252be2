import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allStreams, recordScheduleOutcome, type Stream } from '../../src/db/streams-repository.js';
import { startScheduleRepair } from '../../src/temporal/schedule-repair.js';
import type { RunPage } from '../../src/temporal/run-history.js';
import { CATCHUP_WINDOW, reconcileSchedules, scheduleIdFor } from '../../src/temporal/schedules.js';
import { createLogger } from '../../src/logger.js';
import { createStream, startRun, waitFor, waitForRunToClose } from '../helpers/api.js';
import { FixtureServer } from '../helpers/fixture-server.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';
import { ScheduleNotFoundError } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import { searchAttributes } from '../../schemas/temporal-names.js';

let stack: TestStack;
let site: FixtureServer;
const logger = createLogger('silent');

beforeAll(async () => {
  [stack, site] = await Promise.all([startTestStack(), FixtureServer.start()]);
});

afterAll(async () => {
  await stack?.close();
  await site?.close();
});

const describeSchedule = (streamId: string) => stack.client.schedule.getHandle(scheduleIdFor(streamId)).describe();
const reconcile = async () => reconcileSchedules(stack.client, await allStreams(stack.db), stack.taskQueue, logger);

async function scheduleExists(streamId: string): Promise<boolean> {
  try {
    await describeSchedule(streamId);
    return true;
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) return false;
    throw error;
  }
}

describe('each stream with a frequency owns one Temporal Schedule', () => {
  it('creates the schedule with the preset as a spread interval, Skip overlap and a small catch-up window', async () => {
    const stream = await createStream(stack.app, {
      name: 'hourly',
      type: 'rss_feed',
      config: { url: site.url('/a.xml') },
      frequency: '1hour',
    });

    const schedule = await describeSchedule(stream.id);
    const interval = schedule.spec.intervals?.[0];
    expect(interval?.every).toBe(3_600_000);
    expect(interval?.offset).toBeGreaterThanOrEqual(0);
    expect(interval?.offset).toBeLessThan(3_600_000);
    expect(schedule.policies.overlap).toBe('SKIP');
    expect(schedule.policies.catchupWindow).toBe(60_000);
    expect(CATCHUP_WINDOW).toBe('1 minute');
    expect(schedule.state.paused).toBe(false);
    expect(schedule.action.type).toBe('startWorkflow');
    if (schedule.action.type === 'startWorkflow') {
      expect(schedule.action.workflowType).toBe('streamRun');
      expect(schedule.action.taskQueue).toBe(stack.taskQueue);
      expect(schedule.action.args?.[0]).toMatchObject({ streamId: stream.id, trigger: 'schedule' });
    }
  });

  it('spreads streams of the same frequency over the period', async () => {
    const offsets = new Set<number>();
    for (const name of ['spread-a', 'spread-b', 'spread-c', 'spread-d']) {
      const stream = await createStream(stack.app, {
        name,
        type: 'rss_feed',
        config: { url: site.url('/a.xml') },
        frequency: '1hour',
      });
      offsets.add((await describeSchedule(stream.id)).spec.intervals?.[0]?.offset ?? -1);
    }
    expect(offsets.size).toBe(4);
  });

  it('follows pause (with its note), resume, a new cron frequency and deletion', async () => {
    const stream = await createStream(stack.app, {
      name: 'followed',
      type: 'rss_feed',
      config: { url: site.url('/a.xml') },
      frequency: '15min',
    });

    const paused = await stack.app.inject({
      method: 'POST',
      url: `/streams/${stream.id}/pause`,
      payload: { note: 'site under maintenance' },
    });
    expect(paused.json<Stream>()).toMatchObject({ status: 'paused', pauseNote: 'site under maintenance' });
    expect((await describeSchedule(stream.id)).state).toMatchObject({ paused: true, note: 'site under maintenance' });

    const resumed = await stack.app.inject({ method: 'POST', url: `/streams/${stream.id}/resume`, payload: {} });
    expect(resumed.json<Stream>()).toMatchObject({ status: 'active', pauseNote: null });
    // The schedule takes an update as a signal to its scheduler, and describe may answer before that
    // signal is handled (seen once under load), so the state is awaited rather than read once.
    await waitFor(async () => ((await describeSchedule(stream.id)).state.paused ? undefined : true));

    const patched = await stack.app.inject({
      method: 'PATCH',
      url: `/streams/${stream.id}`,
      payload: { frequency: { cron: '0 7 * * 1-5', timezone: 'Europe/Berlin' } },
    });
    expect(patched.statusCode).toBe(200);
    const cronSchedule = await describeSchedule(stream.id);
    expect(cronSchedule.spec.timezone).toBe('Europe/Berlin');
    expect(cronSchedule.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 7, end: 7, step: 1 }] });

    const badZone = await stack.app.inject({
      method: 'PATCH',
      url: `/streams/${stream.id}`,
      payload: { frequency: { cron: '0 7 * * *', timezone: 'Mars/Olympus' } },
    });
    expect(badZone.statusCode).toBe(400);
    expect(JSON.stringify(badZone.json())).toContain('body.frequency');

    await stack.app.inject({ method: 'PATCH', url: `/streams/${stream.id}`, payload: { frequency: null } });
    expect(await scheduleExists(stream.id)).toBe(false);

    await stack.app.inject({ method: 'PATCH', url: `/streams/${stream.id}`, payload: { frequency: 'daily' } });
    expect(await scheduleExists(stream.id)).toBe(true);
    const deleted = await stack.app.inject({ method: 'DELETE', url: `/streams/${stream.id}` });
    expect(deleted.statusCode).toBe(204);
    expect(await scheduleExists(stream.id)).toBe(false);
    expect((await stack.app.inject({ method: 'GET', url: `/streams/${stream.id}` })).statusCode).toBe(404);
  });

  it('reconciles: restores deleted and altered schedules, removes orphans, and is idempotent', async () => {
    const kept = await createStream(stack.app, {
      name: 'reconciled',
      type: 'rss_feed',
      config: { url: site.url('/a.xml') },
      frequency: '30min',
    });
    const altered = await createStream(stack.app, {
      name: 'altered',
      type: 'rss_feed',
      config: { url: site.url('/a.xml') },
      frequency: '6hours',
    });
    await stack.client.schedule.getHandle(scheduleIdFor(kept.id)).delete();
    await stack.client.schedule
      .getHandle(scheduleIdFor(altered.id))
      .update((previous) => ({ ...previous, spec: { intervals: [{ every: '1 minute' }] } }));
    await stack.client.schedule.getHandle(scheduleIdFor(altered.id)).pause('paused behind the API');
    await stack.client.schedule.create({
      scheduleId: scheduleIdFor('str_ghost'),
      spec: { intervals: [{ every: '1 hour' }] },
      action: { type: 'startWorkflow', workflowType: 'streamRun', taskQueue: stack.taskQueue, args: [] },
    });
    // Reconcile finds orphans through visibility, which lags behind a create by a moment.
    await waitFor(async () => {
      for await (const schedule of stack.client.schedule.list())
        if (schedule.scheduleId === scheduleIdFor('str_ghost')) return true;
      return undefined;
    });

    const first = await reconcile();
    expect(first.created).toBeGreaterThanOrEqual(1);
    expect(first.updated).toBeGreaterThanOrEqual(1);
    expect(first.deleted).toBeGreaterThanOrEqual(1);
    expect(await scheduleExists(kept.id)).toBe(true);
    const restored = await describeSchedule(altered.id);
    expect(restored.spec.intervals?.[0]?.every).toBe(6 * 3_600_000);
    expect(restored.state.paused).toBe(false);
    expect(await scheduleExists('str_ghost')).toBe(false);

    const second = await reconcile();
    expect(second).toMatchObject({ created: 0, updated: 0, deleted: 0 });
  });

  it('a triggered scheduled run saves items and appears in the stream run list', async () => {
    const feedUrl = site.route('/scheduled.xml', { fixture: 'feeds/rss2-news.xml' });
    const stream = await createStream(stack.app, {
      name: 'scheduled',
      type: 'rss_feed',
      config: { url: feedUrl },
      frequency: '12hours',
    });

    await stack.client.schedule.getHandle(scheduleIdFor(stream.id)).trigger();

    const page = await waitFor(async () => {
      const body = (await stack.app.inject({ method: 'GET', url: `/streams/${stream.id}/runs` })).json<RunPage>();
      const run = body.runs[0];
      return run && run.status === 'completed' ? body : undefined;
    }, 20_000);
    const run = page.runs[0]!;
    expect(run.trigger).toBe('schedule');
    expect(run.id.startsWith(`${stream.id}-scheduled`)).toBe(true);
    expect(run.counts?.new).toBe(4);
    const saved = await stack.db.selectFrom('items').select('run_id').where('stream_id', '=', stream.id).execute();
    expect(saved).toHaveLength(4);
    expect(saved.every((item) => item.run_id === run.id)).toBe(true);
  });

  it('names its stream to the Temporal UI: schedule memo and search attributes, runs found by stream name', async () => {
    const feedUrl = site.route('/named.xml', { fixture: 'feeds/rss2-news.xml' });
    const stream = await createStream(stack.app, {
      name: 'harbour watch',
      type: 'rss_feed',
      config: { url: feedUrl },
      frequency: '12hours',
    });
    const created = await describeSchedule(stream.id);
    expect(created.memo).toMatchObject({ streamId: stream.id, streamName: 'harbour watch', taskType: 'rss_feed' });
    expect(created.typedSearchAttributes.get(searchAttributes.streamName)).toBe('harbour watch');
    expect(created.typedSearchAttributes.get(searchAttributes.taskType)).toBe('rss_feed');

    // A rename reaches the schedule's search attributes and the runs it starts from then on.
    const renamed = await stack.app.inject({
      method: 'PATCH',
      url: `/streams/${stream.id}`,
      payload: { name: 'harbour watch (north)' },
    });
    expect(renamed.statusCode).toBe(200);
    // The scheduler applies an update a moment after accepting it; describe may answer before.
    const updated = await waitFor(async () => {
      const schedule = await describeSchedule(stream.id);
      return schedule.typedSearchAttributes.get(searchAttributes.streamName) === 'harbour watch (north)'
        ? schedule
        : undefined;
    });
    const actionAttributes = updated.action.type === 'startWorkflow' ? updated.action.typedSearchAttributes : undefined;
    expect(actionAttributes).toBeInstanceOf(TypedSearchAttributes);
    expect((actionAttributes as TypedSearchAttributes).get(searchAttributes.streamName)).toBe('harbour watch (north)');

    await stack.client.schedule.getHandle(scheduleIdFor(stream.id)).trigger();
    const found = await waitFor(async () => {
      for await (const run of stack.client.workflow.list({
        query: `NewloomStreamName = 'harbour watch (north)' AND NewloomStreamId = '${stream.id}'`,
      }))
        return run;
      return undefined;
    }, 20_000);
    expect(found.workflowId.startsWith(`${stream.id}-scheduled`)).toBe(true);
    expect(found.typedSearchAttributes.get(searchAttributes.streamName)).toBe('harbour watch (north)');
  });

  it('repairs, in the background, the schedule of a stream saved while Temporal could not follow it', async () => {
    const healthy = await createStream(stack.app, {
      name: 'left alone',
      type: 'rss_feed',
      config: { url: site.url('/a.xml') },
      frequency: '1hour',
    });
    const broken = await createStream(stack.app, {
      name: 'saved during an outage',
      type: 'rss_feed',
      config: { url: site.url('/a.xml') },
      frequency: '1hour',
    });
    // What a create that timed out leaves: the stream saved and marked, no schedule in Temporal.
    await stack.client.schedule.getHandle(scheduleIdFor(broken.id)).delete();
    await recordScheduleOutcome(stack.db, broken.id, { status: 'error', error: 'Deadline exceeded after 4.010s' });

    const repair = startScheduleRepair({
      client: stack.client,
      db: stack.db,
      taskQueue: stack.taskQueue,
      logger,
      intervalMs: 1000,
    });
    try {
      const repaired = await waitFor(async () => {
        const stream = (await stack.app.inject({ method: 'GET', url: `/streams/${broken.id}` })).json<Stream>();
        return stream.scheduleStatus === 'ok' ? stream : undefined;
      }, 15_000);
      expect(repaired.scheduleError).toBeNull();
    } finally {
      await repair.stop();
    }
    expect(await scheduleExists(broken.id)).toBe(true);
    expect(await scheduleExists(healthy.id)).toBe(true);
  });

  it('answers 409 to "run now" while a run is going, unless forced', async () => {
    const feedUrl = site.route('/busy.xml', { hold: true });
    const stream = await createStream(stack.app, { name: 'busy', type: 'rss_feed', config: { url: feedUrl } });
    const first = await startRun(stack.app, stream.id);
    await waitFor(() => site.requestsTo('/busy.xml')[0]);

    const second = await stack.app.inject({ method: 'POST', url: `/streams/${stream.id}/runs` });
    expect(second.statusCode).toBe(409);
    expect(second.json()).toMatchObject({ error: { code: 'RUN_IN_PROGRESS' } });
    const forced = await stack.app.inject({ method: 'POST', url: `/streams/${stream.id}/runs?force=true` });
    expect(forced.statusCode).toBe(202);

    for (const runId of [first, forced.json<{ runId: string }>().runId]) {
      await stack.app.inject({ method: 'POST', url: `/runs/${runId}/cancel` });
      expect((await waitForRunToClose(stack.app, runId)).status).toBe('cancelled');
    }
  });
});

import { ScheduleNotFoundError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamListResponse, streamResponse } from '../../src/api/openapi/response-schemas.js';
import { probeScheduleIdFor, scheduleIdFor } from '../../src/temporal/schedules.js';
import { createStream, startRun, waitFor, waitForRunToClose } from '../helpers/api.js';
import { FixtureServer } from '../helpers/fixture-server.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';

let stack: TestStack;
let site: FixtureServer;

beforeAll(async () => {
  // Probes every 2 s, backing off to 8 s: the hourly-to-daily rule, in seconds.
  [stack, site] = await Promise.all([
    startTestStack({ probe: { intervalSeconds: 2, maxIntervalSeconds: 8 } }),
    FixtureServer.start(),
  ]);
});

afterAll(async () => {
  await stack?.close();
  await site?.close();
});

async function getStream(id: string) {
  const response = await stack.app.inject({ method: 'GET', url: `/streams/${id}` });
  expect(response.statusCode, response.body).toBe(200);
  return streamResponse.parse(response.json());
}

async function probeScheduleExists(streamId: string): Promise<boolean> {
  try {
    await stack.client.schedule.getHandle(probeScheduleIdFor(streamId)).describe();
    return true;
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) return false;
    throw error;
  }
}

async function failRuns(streamId: string, times: number): Promise<void> {
  for (let run = 0; run < times; run++) {
    const runId = await startRun(stack.app, streamId);
    expect((await waitForRunToClose(stack.app, runId)).status).toBe('failed');
  }
}

describe('quarantine with probation', () => {
  it('quarantines a stream after 5 failed runs, probes it, and resumes it when a probe succeeds', async () => {
    // Five answers of 503, then the feed: the fifth failure quarantines, the first probe succeeds.
    const url = site.route('/sick.xml', ...Array.from({ length: 5 }, () => ({ status: 503 })), {
      fixture: 'feeds/rss2-news.xml',
    });
    const stream = await createStream(stack.app, {
      name: 'sick feed',
      type: 'rss_feed',
      config: { url },
      frequency: '1hour',
      runPolicy: { maximumAttempts: 1 },
    });

    await failRuns(stream.id, 4);
    const degraded = await getStream(stream.id);
    expect(degraded.health).toMatchObject({ state: 'degraded', consecutiveFailures: 4, nextProbeAt: null });
    expect(degraded.health.lastError?.message).toMatch(/503/);
    expect((await stack.client.schedule.getHandle(scheduleIdFor(stream.id)).describe()).state.paused).toBe(false);

    await failRuns(stream.id, 1);
    const quarantined = await getStream(stream.id);
    expect(quarantined.health).toMatchObject({
      state: 'quarantined',
      consecutiveFailures: 5,
      probeIntervalSeconds: 2,
      lastError: { type: 'HttpTransientError' },
    });
    expect(quarantined.health.nextProbeAt).not.toBeNull();
    expect(quarantined.status).toBe('active');
    const schedule = await stack.client.schedule.getHandle(scheduleIdFor(stream.id)).describe();
    expect(schedule.state.paused).toBe(true);
    expect(schedule.state.note).toMatch(/Quarantined by NewLoom after 5 consecutive failed runs/);
    const listed = await stack.app.inject({ method: 'GET', url: '/streams?health=quarantined' });
    expect(streamListResponse.parse(listed.json()).streams.map((listedStream) => listedStream.id)).toEqual([stream.id]);
    const metrics = await stack.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toContain(`newloom_stream_health{stream_id="${stream.id}",health="quarantined"} 1`);
    expect(metrics.body).toMatch(/newloom_streams_by_health\{health="quarantined"\} 1/);

    // The probe schedule runs the stream (trigger probe); the feed answers now, so the stream is let out.
    const released = await waitFor(async () => {
      const current = await getStream(stream.id);
      return current.health.state === 'healthy' ? current : undefined;
    }, 30_000);
    expect(released.lastRun?.status).toBe('completed');
    expect(released.health).toMatchObject({ consecutiveFailures: 0, lastError: null, nextProbeAt: null });
    // The run that let it out was the probe schedule's (its workflow id names it).
    expect(released.lastRun?.runId.startsWith(`${stream.id}-probe-`)).toBe(true);
    await waitFor(async () => {
      const resumed = await stack.client.schedule.getHandle(scheduleIdFor(stream.id)).describe();
      return resumed.state.paused ? undefined : true;
    });
    await waitFor(async () => ((await probeScheduleExists(stream.id)) ? undefined : true));
  });

  it('quarantines after 2 permanent failures, backs the probe off, and a manual resume clears it', async () => {
    const url = site.route('/gone-for-good.xml', { status: 404, body: 'gone' });
    const stream = await createStream(stack.app, {
      name: 'dead feed',
      type: 'rss_feed',
      config: { url },
      frequency: '1hour',
    });
    await failRuns(stream.id, 2);
    const quarantined = await getStream(stream.id);
    expect(quarantined.health).toMatchObject({
      state: 'quarantined',
      consecutiveFailures: 2,
      lastError: { type: 'HttpPermanentError' },
    });

    // A failed probe doubles the interval, up to the cap.
    const backedOff = await waitFor(async () => {
      const current = await getStream(stream.id);
      return (current.health.probeIntervalSeconds ?? 0) >= 4 ? current : undefined;
    }, 30_000);
    expect(backedOff.health.state).toBe('quarantined');
    expect(backedOff.health.consecutiveFailures).toBeGreaterThan(2);

    const resumed = await stack.app.inject({ method: 'POST', url: `/streams/${stream.id}/resume` });
    expect(resumed.statusCode, resumed.body).toBe(200);
    expect(streamResponse.parse(resumed.json()).health).toMatchObject({ state: 'healthy', consecutiveFailures: 0 });
    expect((await stack.client.schedule.getHandle(scheduleIdFor(stream.id)).describe()).state.paused).toBe(false);
    expect(await probeScheduleExists(stream.id)).toBe(false);
  });
});

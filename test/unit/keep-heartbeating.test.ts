import { MockActivityEnvironment } from '@temporalio/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HEARTBEAT_INTERVAL_MS, keepHeartbeating } from '../../activities/heartbeat.js';

/** Runs keepHeartbeating in an activity for `forMs` of fake time and returns the heartbeats it sent. */
async function heartbeatsOver(forMs: number, heartbeatTimeoutMs?: number): Promise<unknown[]> {
  const env = new MockActivityEnvironment(heartbeatTimeoutMs ? { heartbeatTimeoutMs } : {});
  const sent: unknown[] = [];
  env.on('heartbeat', (details: unknown) => sent.push(details));
  let tick = 0;
  await env.run(async () => {
    const stop = keepHeartbeating(() => ({ tick: (tick += 1) }));
    await vi.advanceTimersByTimeAsync(forMs);
    stop();
    await vi.advanceTimersByTimeAsync(5 * HEARTBEAT_INTERVAL_MS);
  });
  return sent;
}

describe('keepHeartbeating', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends nothing during an activity shorter than one interval', async () => {
    expect(await heartbeatsOver(HEARTBEAT_INTERVAL_MS - 1)).toEqual([]);
  });

  it('then beats once per interval with the latest details, and stops when told', async () => {
    expect(await heartbeatsOver(3 * HEARTBEAT_INTERVAL_MS)).toEqual([{ tick: 1 }, { tick: 2 }, { tick: 3 }]);
  });

  it('beats once per interval whatever the heartbeat timeout beyond two intervals', async () => {
    expect(await heartbeatsOver(3 * HEARTBEAT_INTERVAL_MS, 30_000)).toHaveLength(3);
  });

  it('beats twice per heartbeat timeout when the timeout is shorter than two intervals', async () => {
    expect(await heartbeatsOver(1000, 1000)).toHaveLength(2);
  });
});

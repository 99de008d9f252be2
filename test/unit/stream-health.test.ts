import { describe, expect, it } from 'vitest';
import {
  healthyRecord,
  nextHealth,
  quarantineThreshold,
  type StreamHealthRecord,
} from '../../src/health/stream-health.js';

const probe = { intervalSeconds: 3600, maxIntervalSeconds: 86_400 };
const at = new Date('2026-12-06T07:00:00Z');
const failure = { status: 'failed' as const, error: 'GET … answered HTTP 503', failureType: 'HttpTransientError', at };

function failTimes(times: number, start: StreamHealthRecord = healthyRecord()) {
  let record = start;
  let transition = 'none';
  for (let i = 0; i < times; i++) ({ record, transition } = nextHealth(record, failure, {}, probe, true));
  return { record, transition };
}

describe('stream health', () => {
  it('degrades on each failure and quarantines at the fifth, probing an hour later', () => {
    expect(failTimes(4).record).toMatchObject({ state: 'degraded', consecutiveFailures: 4, nextProbeAt: null });
    const { record, transition } = failTimes(5);
    expect(transition).toBe('quarantined');
    expect(record).toMatchObject({
      state: 'quarantined',
      consecutiveFailures: 5,
      probeIntervalSeconds: 3600,
      nextProbeAt: '2026-12-06T08:00:00.000Z',
      errorType: 'HttpTransientError',
    });
  });

  it('quarantines after 2 when the failure is permanent, and the stream may set both thresholds', () => {
    expect(quarantineThreshold({}, 'HttpPermanentError')).toBe(2);
    expect(quarantineThreshold({}, 'NotAFeedError')).toBe(2);
    expect(quarantineThreshold({}, 'NetworkError')).toBe(5);
    expect(quarantineThreshold({ quarantineAfterFailures: 10 }, 'NetworkError')).toBe(10);
    expect(quarantineThreshold({ quarantineAfterFailures: 1 }, 'HttpPermanentError')).toBe(1);
    expect(quarantineThreshold({ quarantineAfterPermanentFailures: 3 }, 'ValidationError')).toBe(3);
  });

  it('doubles the interval after a failed probe up to a day, and ignores failures of other runs', () => {
    let { record } = failTimes(5);
    const intervals: number[] = [];
    for (let i = 0; i < 7; i++) {
      ({ record } = nextHealth(record, { ...failure, trigger: 'probe' }, {}, probe, true));
      intervals.push(record.probeIntervalSeconds!);
    }
    expect(intervals).toEqual([7200, 14_400, 28_800, 57_600, 86_400, 86_400, 86_400]);
    const manual = nextHealth(record, { ...failure, trigger: 'manual' }, {}, probe, true);
    expect(manual.transition).toBe('none');
    expect(manual.record.probeIntervalSeconds).toBe(86_400);
  });

  it('releases on any success, and a cancelled run changes nothing', () => {
    const { record } = failTimes(5);
    expect(nextHealth(record, { status: 'cancelled', error: null, at }, {}, probe, true).record).toBe(record);
    const released = nextHealth(record, { status: 'completed', error: null, trigger: 'probe', at }, {}, probe, true);
    expect(released).toEqual({ record: healthyRecord(), transition: 'released' });
  });

  it('only degrades a stream that has no schedule to pause', () => {
    let record = healthyRecord();
    for (let i = 0; i < 9; i++) ({ record } = nextHealth(record, failure, {}, probe, false));
    expect(record).toMatchObject({ state: 'degraded', consecutiveFailures: 9 });
  });
});

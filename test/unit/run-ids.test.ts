import { describe, expect, it } from 'vitest';
import { newRunId, streamIdOfRun } from '../../src/temporal/run-ids.js';

describe('run ids name their stream', () => {
  it('reads the stream back from manual, scheduled and probe run ids', () => {
    const streamId = 'str_0a1b2c3d4e5f';
    expect(streamIdOfRun(newRunId(streamId, new Date('2026-12-06T09:00:00.123Z')))).toBe(streamId);
    expect(streamIdOfRun(`${streamId}-scheduled-2026-12-06T09:05:00Z`)).toBe(streamId);
    expect(streamIdOfRun(`${streamId}-probe-2026-12-06T09:05:00Z`)).toBe(streamId);
  });

  it('finds no stream in ad-hoc runs or foreign workflow ids', () => {
    expect(streamIdOfRun(newRunId('adhoc-rss_feed'))).toBeUndefined();
    expect(streamIdOfRun('bare-1-2-3')).toBeUndefined();
    expect(streamIdOfRun('str_0a1b2c3d4e5f')).toBeUndefined();
  });
});

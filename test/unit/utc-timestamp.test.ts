import { describe, expect, it } from 'vitest';
import { toUtcTimestamp } from '../../activities/text/utc-timestamp.js';

describe('toUtcTimestamp', () => {
  it('writes what toISOString writes, at the calendar edges', () => {
    const edges = [
      0, -1, 1, 951_782_400_000, 951_868_799_999, 4_107_542_400_000, -62_167_219_200_000, 253_402_300_799_999,
      -62_167_219_200_001, 253_402_300_800_000, 1_795_435_200_123,
    ];
    for (const ms of edges) expect(toUtcTimestamp(ms)).toBe(new Date(ms).toISOString());
  });

  it('writes what toISOString writes for times spread over ten thousand years', () => {
    // A fixed stride (a prime number of milliseconds) rather than random draws, so a failure repeats.
    const stride = 9_999_991_337;
    for (let ms = -62_167_219_200_000; ms < 253_402_300_799_999; ms += stride * 97) {
      expect(toUtcTimestamp(ms)).toBe(new Date(ms).toISOString());
    }
  });

  it('throws on an invalid time as toISOString does', () => {
    expect(() => toUtcTimestamp(Number.NaN)).toThrow(RangeError);
  });
});

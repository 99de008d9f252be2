import { describe, expect, it } from 'vitest';
import { DatabaseBusyError } from '../../src/db/database-errors.js';
import { retryWhileUnavailable } from '../../src/db/retry-while-unavailable.js';

describe('retryWhileUnavailable', () => {
  it('writes again once the database is back', async () => {
    let calls = 0;
    const result = await retryWhileUnavailable(async () => {
      calls += 1;
      if (calls === 1) throw new DatabaseBusyError(10, { cause: new Error('locked') });
      return 'saved';
    });
    expect(result).toBe('saved');
    expect(calls).toBe(2);
  });

  it('throws any other error at once, and gives up at the deadline', async () => {
    let calls = 0;
    await expect(
      retryWhileUnavailable(async () => {
        calls += 1;
        throw new TypeError('a bug, not an outage');
      }),
    ).rejects.toThrow(TypeError);
    expect(calls).toBe(1);
    await expect(
      retryWhileUnavailable(() => Promise.reject(new DatabaseBusyError(10, { cause: new Error('locked') })), {
        withinMs: 500,
      }),
    ).rejects.toThrow(DatabaseBusyError);
  });
});

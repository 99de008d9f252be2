import { setTimeout as sleep } from 'node:timers/promises';
import { isDatabaseUnavailable } from './database-errors.js';

export interface UnavailableRetry {
  /** Longest the whole call may keep retrying. @default 120 s */
  withinMs?: number;
  /** Stops the waiting (an activity's cancellation). */
  signal?: AbortSignal;
}

/**
 * Runs a database write again while the database is away (locked past the driver's own wait, restarting,
 * unreachable), with backoff from 1 s to 10 s, for up to `withinMs`. A collection activity saves through
 * it: one failed save would otherwise fail the attempt and make the task fetch its source again, where the
 * old separate save step was retried patiently on its own. Any other error, or the deadline, is thrown.
 */
export async function retryWhileUnavailable<T>(write: () => Promise<T>, options: UnavailableRetry = {}): Promise<T> {
  const deadline = Date.now() + (options.withinMs ?? 120_000);
  for (let delay = 1000; ; delay = Math.min(delay * 2, 10_000)) {
    try {
      return await write();
    } catch (error) {
      if (!isDatabaseUnavailable(error) || Date.now() + delay > deadline) throw error;
      await sleep(delay, undefined, options.signal ? { signal: options.signal } : {});
    }
  }
}

import { randomBytes } from 'node:crypto';

/**
 * A run's public id is its Temporal workflow id. It names the stream and the minute it started, so
 * the API, the logs and the Temporal UI speak of the same, readable thing.
 */
export function newRunId(streamId: string, now: Date = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${streamId}-${stamp}-${randomBytes(2).toString('hex')}`;
}

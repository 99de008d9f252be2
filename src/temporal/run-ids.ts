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

/**
 * The stream a run belongs to, read from its id: manual (`newRunId`), scheduled (`<streamId>-scheduled-…`)
 * and probe (`<streamId>-probe-…`) run ids all start with the stream's id, which holds no hyphen. Ad-hoc
 * runs (`adhoc-…`) belong to no stream.
 */
export function streamIdOfRun(runId: string): string | undefined {
  return /^(str_[0-9a-f]+)-/.exec(runId)?.[1];
}

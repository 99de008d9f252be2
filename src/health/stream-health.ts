/**
 * Stream health, as pure decisions: what one run's outcome does to a stream's health. The database
 * (src/db/stream-health-repository.ts) applies them in the statement recordRunOutcome already runs, and
 * the stream's schedules (src/temporal/schedules.ts) follow: a quarantined stream's schedule is paused
 * with a note, and a probe schedule runs it slowly until a run succeeds.
 */
import { nonRetryableFailureTypes } from '../../schemas/failure-types.js';
import type { StreamHealthState } from '../../schemas/statuses.js';
import type { RunOutcomeStatus, RunTrigger } from '../../schemas/stream-run.js';

export type HealthState = StreamHealthState;

export interface StreamHealthRecord {
  state: HealthState;
  consecutiveFailures: number;
  error: string | null;
  errorType: string | null;
  quarantinedAt: string | null;
  probeIntervalSeconds: number | null;
  nextProbeAt: string | null;
}

/** Installation-wide probe settings (STREAM_PROBE_INTERVAL_SECONDS, STREAM_PROBE_MAX_INTERVAL_SECONDS). */
export interface ProbeSettings {
  /** The first probe comes this long after the quarantine. @default 3600 (hourly) */
  intervalSeconds: number;
  /** Each failed probe doubles the interval, up to this. @default 86400 (daily) */
  maxIntervalSeconds: number;
}

export const defaultProbeSettings: ProbeSettings = { intervalSeconds: 3600, maxIntervalSeconds: 86_400 };

/** Failures in a row before quarantine, per stream in its run policy. */
export const DEFAULT_QUARANTINE_AFTER_FAILURES = 5;
/** The same when the last failure is one a retry cannot fix (404, not a feed, bad config). */
export const DEFAULT_QUARANTINE_AFTER_PERMANENT_FAILURES = 2;

export interface HealthPolicy {
  quarantineAfterFailures?: number | undefined;
  quarantineAfterPermanentFailures?: number | undefined;
}

export interface RunOutcomeFacts {
  status: RunOutcomeStatus;
  error: string | null;
  failureType?: string | null | undefined;
  trigger?: RunTrigger | undefined;
  at: Date;
}

/** What the outcome did, so the caller knows whether the schedules must follow. */
export type HealthTransition = 'none' | 'quarantined' | 'released' | 'probe_failed';

export const healthyRecord = (): StreamHealthRecord => ({
  state: 'healthy',
  consecutiveFailures: 0,
  error: null,
  errorType: null,
  quarantinedAt: null,
  probeIntervalSeconds: null,
  nextProbeAt: null,
});

export function isPermanentFailure(failureType: string | null | undefined): boolean {
  return !!failureType && nonRetryableFailureTypes.includes(failureType);
}

/**
 * The health after one run's outcome. A cancelled run says nothing about the source. A success clears
 * everything (a quarantined stream is released, whatever started the run). A failure counts; at the
 * threshold a stream that has a schedule to pause is quarantined (one run only by hand is just
 * degraded: nothing runs it unasked). While quarantined, a failed probe doubles the probe interval up
 * to the cap; other failures (a manual run) leave the probing as it is.
 */
export function nextHealth(
  current: StreamHealthRecord,
  outcome: RunOutcomeFacts,
  policy: HealthPolicy,
  probe: ProbeSettings,
  canQuarantine: boolean,
): { record: StreamHealthRecord; transition: HealthTransition } {
  if (outcome.status === 'cancelled') return { record: current, transition: 'none' };
  if (outcome.status === 'completed') {
    return { record: healthyRecord(), transition: current.state === 'quarantined' ? 'released' : 'none' };
  }
  const failures = current.consecutiveFailures + 1;
  const failed = {
    ...current,
    consecutiveFailures: failures,
    error: outcome.error,
    errorType: outcome.failureType ?? null,
  };
  if (current.state === 'quarantined') {
    if (outcome.trigger !== 'probe') return { record: failed, transition: 'none' };
    const interval = Math.min((current.probeIntervalSeconds ?? probe.intervalSeconds) * 2, probe.maxIntervalSeconds);
    return {
      record: { ...failed, probeIntervalSeconds: interval, nextProbeAt: addSeconds(outcome.at, interval) },
      transition: 'probe_failed',
    };
  }
  if (canQuarantine && failures >= quarantineThreshold(policy, outcome.failureType)) {
    const interval = Math.min(probe.intervalSeconds, probe.maxIntervalSeconds);
    return {
      record: {
        ...failed,
        state: 'quarantined',
        quarantinedAt: outcome.at.toISOString(),
        probeIntervalSeconds: interval,
        nextProbeAt: addSeconds(outcome.at, interval),
      },
      transition: 'quarantined',
    };
  }
  return { record: { ...failed, state: 'degraded' }, transition: 'none' };
}

export function quarantineThreshold(policy: HealthPolicy, failureType: string | null | undefined): number {
  const threshold = policy.quarantineAfterFailures ?? DEFAULT_QUARANTINE_AFTER_FAILURES;
  if (!isPermanentFailure(failureType)) return threshold;
  return Math.min(threshold, policy.quarantineAfterPermanentFailures ?? DEFAULT_QUARANTINE_AFTER_PERMANENT_FAILURES);
}

/** The note a quarantined stream's schedule carries, where the Temporal UI shows it. */
export function quarantineNote(record: StreamHealthRecord, probeScheduleId: string): string {
  const error = record.error ? ` (last: ${record.error.slice(0, 300)})` : '';
  const every = record.probeIntervalSeconds ? humanSeconds(record.probeIntervalSeconds) : 'slowly';
  return (
    `Quarantined by NewLoom after ${record.consecutiveFailures} consecutive failed runs${error}. ` +
    `Probing every ${every} (schedule ${probeScheduleId}), next at ${record.nextProbeAt ?? 'unknown'}; ` +
    'a probe that succeeds resumes this schedule, and resuming the stream clears the quarantine.'
  );
}

function humanSeconds(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}min`;
  return `${seconds}s`;
}

const addSeconds = (at: Date, seconds: number) => new Date(at.getTime() + seconds * 1000).toISOString();

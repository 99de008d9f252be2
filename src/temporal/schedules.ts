import { createHash } from 'node:crypto';
import {
  ScheduleNotFoundError,
  type Client,
  type ScheduleOptions,
  type ScheduleOptionsStartWorkflowAction,
  type Workflow,
  type ScheduleOverlapPolicy,
  type ScheduleSpec,
} from '@temporalio/client';
import { TypedSearchAttributes, type SearchAttributePair } from '@temporalio/common';
import type { Logger } from 'pino';
import { presetPeriodSeconds, type Frequency, type OverlapPolicy } from '../../schemas/frequency.js';
import { scheduleMemoKeys, searchAttributes } from '../../schemas/temporal-names.js';
import type { Database } from '../db/database.js';
import { allStreams, recordScheduleOutcome, type ScheduleOutcome, type Stream } from '../db/streams-repository.js';
import { streamRunStartOptions } from './runs.js';
import { quarantineNote } from '../health/stream-health.js';

/** One schedule per stream, its id derived from the stream's. */
export const SCHEDULE_ID_PREFIX = 'stream-';
export const scheduleIdFor = (streamId: string) => `${SCHEDULE_ID_PREFIX}${streamId}`;
/**
 * A quarantined stream's probe schedule. It shares the stream's prefix on purpose: the reconcile's
 * orphan sweep removes a probe whose stream is no longer quarantined, with no extra call per stream.
 */
export const probeScheduleIdFor = (streamId: string) => `${scheduleIdFor(streamId)}-probe`;

/**
 * After an outage, only runs missed within this window are caught up, and Skip allows one at a time:
 * an hour of downtime yields one run, not a storm.
 */
export const CATCHUP_WINDOW = '1 minute';

/** The action memo key holding a fingerprint of everything the schedule derives from the stream. */
const FINGERPRINT_MEMO_KEY = 'newloomScheduleFingerprint';

const overlapByPolicy: Record<OverlapPolicy, ScheduleOverlapPolicy> = {
  skip: 'SKIP',
  buffer_one: 'BUFFER_ONE',
  buffer_all: 'BUFFER_ALL',
  cancel_other: 'CANCEL_OTHER',
  terminate_other: 'TERMINATE_OTHER',
  allow_all: 'ALLOW_ALL',
};

/**
 * The schedule spec of a frequency. Presets become fixed intervals with a per-stream offset taken from
 * the stream id, so a hundred hourly streams spread over the hour instead of all firing at minute 3
 * (the original's crontabs did that), and each stream keeps the same minute from day to day.
 */
export function scheduleSpecFor(streamId: string, frequency: Frequency): ScheduleSpec {
  if (typeof frequency === 'string') {
    const period = presetPeriodSeconds[frequency];
    const offset = createHash('sha256').update(streamId).digest().readUInt32BE(0) % period;
    return { intervals: [{ every: `${period}s`, offset: `${offset}s` }] };
  }
  return { cronExpressions: [frequency.cron], timezone: frequency.timezone };
}

export function scheduleOptionsFor(
  stream: Stream & { frequency: Frequency },
  taskQueue: string,
): ScheduleOptions<ScheduleOptionsStartWorkflowAction<Workflow>> {
  const { workflowType, ...start } = streamRunStartOptions(stream, 'schedule', taskQueue);
  const spec = scheduleSpecFor(stream.id, stream.frequency);
  const policies = { overlap: overlapByPolicy[stream.overlapPolicy], catchupWindow: CATCHUP_WINDOW };
  // The schedule itself names its stream too, so the UI's schedule list can be searched and read by name.
  const typedSearchAttributes = [
    { key: searchAttributes.streamId, value: stream.id },
    { key: searchAttributes.streamName, value: stream.name },
    { key: searchAttributes.taskType, value: stream.taskType },
  ];
  const fingerprint = createHash('sha256')
    .update(
      JSON.stringify({
        spec,
        args: start.args,
        policies,
        taskQueue,
        summary: start.staticSummary,
        searchAttributes: start.typedSearchAttributes.map(({ key, value }) => [key.name, value]),
      }),
    )
    .digest('hex');
  return {
    scheduleId: scheduleIdFor(stream.id),
    spec,
    policies,
    typedSearchAttributes,
    memo: {
      [scheduleMemoKeys.streamId]: stream.id,
      [scheduleMemoKeys.streamName]: stream.name,
      [scheduleMemoKeys.taskType]: stream.taskType,
    },
    action: {
      type: 'startWorkflow',
      workflowType,
      // Temporal appends the scheduled time, so each run's id still names the stream and its moment.
      workflowId: `${stream.id}-scheduled`,
      ...start,
      memo: { [FINGERPRINT_MEMO_KEY]: fingerprint },
    },
    state: scheduleStateFor(stream),
  };
}

/** A stream that wants probing: quarantined, active, with a schedule to stand in for. */
const isProbed = (stream: Stream) =>
  stream.frequency !== null && stream.status === 'active' && stream.health.state === 'quarantined';

/**
 * Paused when a person paused the stream (their note) or when it is quarantined (a note saying why,
 * how it is probed and how to let it out, shown in the Temporal UI).
 */
export function scheduleStateFor(stream: Stream): { paused: boolean; note?: string } {
  if (stream.status === 'paused') return { paused: true, ...(stream.pauseNote ? { note: stream.pauseNote } : {}) };
  if (stream.health.state === 'quarantined') {
    const { consecutiveFailures, probeIntervalSeconds, nextProbeAt, lastError, quarantinedAt } = stream.health;
    const record = {
      state: stream.health.state,
      consecutiveFailures,
      error: lastError?.message ?? null,
      errorType: lastError?.type ?? null,
      quarantinedAt,
      probeIntervalSeconds,
      nextProbeAt,
    };
    return { paused: true, note: quarantineNote(record, probeScheduleIdFor(stream.id)) };
  }
  return { paused: false };
}

/**
 * The probe of a quarantined stream: the stream's own run (trigger `probe`) every probe interval, the
 * first at `nextProbeAt` (an interval's offset places it there). Its outcome is recorded like any run's;
 * a success releases the stream, a failure doubles the interval (src/health/stream-health.ts).
 */
export function probeScheduleOptionsFor(
  stream: Stream,
  taskQueue: string,
): ScheduleOptions<ScheduleOptionsStartWorkflowAction<Workflow>> {
  const { workflowType, ...start } = streamRunStartOptions(stream, 'probe', taskQueue);
  const every = Math.max(1, stream.health.probeIntervalSeconds ?? 3600);
  const firstAt = Math.floor(Date.parse(stream.health.nextProbeAt ?? new Date().toISOString()) / 1000);
  const spec: ScheduleSpec = { intervals: [{ every: `${every}s`, offset: `${firstAt % every}s` }] };
  const fingerprint = createHash('sha256')
    .update(JSON.stringify({ spec, args: start.args, taskQueue }))
    .digest('hex');
  return {
    scheduleId: probeScheduleIdFor(stream.id),
    spec,
    policies: { overlap: 'SKIP', catchupWindow: CATCHUP_WINDOW },
    action: {
      type: 'startWorkflow',
      workflowType,
      workflowId: `${stream.id}-probe`,
      ...start,
      memo: { [FINGERPRINT_MEMO_KEY]: fingerprint },
    },
    state: { note: `Probe of quarantined stream ${stream.name} (${stream.id}); made and removed by NewLoom.` },
  };
}

/** Creates, updates or (when the stream is not probed, and `remove` is set) deletes the probe schedule. */
async function syncProbeSchedule(client: Client, stream: Stream, taskQueue: string, remove: boolean): Promise<void> {
  const handle = client.schedule.getHandle(probeScheduleIdFor(stream.id));
  if (!isProbed(stream)) {
    if (!remove) return;
    try {
      await handle.delete();
    } catch (error) {
      if (!(error instanceof ScheduleNotFoundError)) throw error;
    }
    return;
  }
  const wanted = probeScheduleOptionsFor(stream, taskQueue);
  let current;
  try {
    current = await handle.describe();
  } catch (error) {
    if (!(error instanceof ScheduleNotFoundError)) throw error;
    await client.schedule.create(wanted);
    return;
  }
  const currentFingerprint =
    current.action.type === 'startWorkflow' ? current.action.memo?.[FINGERPRINT_MEMO_KEY] : undefined;
  if (currentFingerprint === wanted.action.memo?.[FINGERPRINT_MEMO_KEY] && !current.state.paused) return;
  await handle.update(() => ({ spec: wanted.spec, action: wanted.action, policies: wanted.policies, state: {} }));
}

export type ScheduleChange = 'created' | 'updated' | 'unchanged' | 'deleted' | 'absent';

export interface SyncOptions {
  /**
   * Delete the probe schedule when the stream is not probed. On by default (a change through the API,
   * a run's outcome); the start's reconcile leaves it to its orphan sweep, which costs no call per stream.
   */
  removeProbe?: boolean;
}

/**
 * Makes the stream's schedules match the stream: its schedule created, updated, paused or deleted as
 * needed, and its probe schedule there exactly while it is quarantined.
 */
export async function syncStreamSchedule(
  client: Client,
  stream: Stream,
  taskQueue: string,
  options: SyncOptions = {},
): Promise<ScheduleChange> {
  const change = await syncMainSchedule(client, stream, taskQueue);
  await syncProbeSchedule(client, stream, taskQueue, options.removeProbe ?? true);
  return change;
}

async function syncMainSchedule(client: Client, stream: Stream, taskQueue: string): Promise<ScheduleChange> {
  const handle = client.schedule.getHandle(scheduleIdFor(stream.id));
  if (!stream.frequency) return (await deleteStreamSchedule(client, stream.id)) ? 'deleted' : 'absent';
  const wanted = scheduleOptionsFor({ ...stream, frequency: stream.frequency }, taskQueue);
  let current;
  try {
    current = await handle.describe();
  } catch (error) {
    if (!(error instanceof ScheduleNotFoundError)) throw error;
    await client.schedule.create(wanted);
    return 'created';
  }
  const currentFingerprint =
    current.action.type === 'startWorkflow' ? current.action.memo?.[FINGERPRINT_MEMO_KEY] : undefined;
  const wantedFingerprint = wanted.action.memo?.[FINGERPRINT_MEMO_KEY];
  const pausedMatches =
    current.state.paused === (wanted.state?.paused ?? false) &&
    (!wanted.state?.paused || (current.state.note ?? '') === (wanted.state.note ?? ''));
  if (currentFingerprint === wantedFingerprint && pausedMatches) return 'unchanged';
  await handle.update(() => ({
    spec: wanted.spec,
    action: wanted.action,
    policies: wanted.policies,
    state: wanted.state ?? {},
    typedSearchAttributes: new TypedSearchAttributes(wanted.typedSearchAttributes as SearchAttributePair[]),
  }));
  return 'updated';
}

/** Deletes the stream's schedule and its probe, if any; true when the stream's schedule was there. */
export async function deleteStreamSchedule(client: Client, streamId: string): Promise<boolean> {
  const deleted = await deleteSchedule(client, scheduleIdFor(streamId));
  await deleteSchedule(client, probeScheduleIdFor(streamId));
  return deleted;
}

async function deleteSchedule(client: Client, scheduleId: string): Promise<boolean> {
  try {
    await client.schedule.getHandle(scheduleId).delete();
    return true;
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) return false;
    throw error;
  }
}

export interface ReconcileReport {
  created: number;
  updated: number;
  unchanged: number;
  deleted: number;
  /** Streams whose schedule Temporal refused or could not be reached for; each is logged and recorded. */
  failed: number;
}

/** Where the outcome of each stream's sync is kept (the stream row: scheduleStatus, scheduleError). */
export type ScheduleOutcomeRecorder = (stream: Stream, outcome: ScheduleOutcome) => Promise<void>;

/** The reason a sync failed, as a stream shows it: Temporal's message without the gRPC status prefix. */
export function scheduleErrorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/^\d+ [A-Z_]+: /, '');
}

/**
 * Makes Temporal's schedules match the database: creates missing ones, fixes changed ones, removes
 * schedules of streams that no longer exist or lost their frequency. Idempotent: a second run changes
 * nothing. Runs at start of the API (and of `npm start`).
 *
 * One stream's schedule failing (a cron Temporal refuses, saved before crons were checked) never stops
 * the others nor the process starting: it is logged with the stream's id, counted in `failed`, and
 * recorded through `record` as scheduleStatus `error` with the reason, where GET /streams shows it.
 */
export async function reconcileSchedules(
  client: Client,
  streams: Stream[],
  taskQueue: string,
  logger: Logger,
  record?: ScheduleOutcomeRecorder,
): Promise<ReconcileReport> {
  const report = await syncSchedules(client, streams, taskQueue, logger, record);
  const known = new Set(streams.map((stream) => scheduleIdFor(stream.id)));
  for (const stream of streams) if (isProbed(stream)) known.add(probeScheduleIdFor(stream.id));
  try {
    await deleteOrphanSchedules(client, known, report, logger);
  } catch (error) {
    // Orphans only run streams that are gone; the next reconcile removes them.
    logger.error({ err: error }, 'orphan schedules could not be listed or deleted');
  }
  return report;
}

/**
 * Syncs the schedule of each stream given (and nothing else: schedules of other streams are left as
 * they are), recording every outcome that differs from what the stream says.
 */
export async function syncSchedules(
  client: Client,
  streams: Stream[],
  taskQueue: string,
  logger: Logger,
  record?: ScheduleOutcomeRecorder,
): Promise<ReconcileReport> {
  const report: ReconcileReport = { created: 0, updated: 0, unchanged: 0, deleted: 0, failed: 0 };
  for (const stream of streams) {
    let outcome: ScheduleOutcome;
    try {
      const change = await syncStreamSchedule(client, stream, taskQueue, { removeProbe: false });
      if (change === 'created' || change === 'updated' || change === 'unchanged' || change === 'deleted')
        report[change] += 1;
      if (change !== 'unchanged' && change !== 'absent')
        logger.info({ streamId: stream.id, change }, 'schedule reconciled');
      outcome = { status: 'ok' };
    } catch (error) {
      report.failed += 1;
      logger.error(
        { streamId: stream.id, streamName: stream.name, err: error },
        'schedule could not be synced; the stream runs only by hand until it is fixed',
      );
      outcome = { status: 'error', error: scheduleErrorMessage(error) };
    }
    if (
      record &&
      (outcome.status !== stream.scheduleStatus ||
        (outcome.status === 'error' && outcome.error !== stream.scheduleError))
    ) {
      try {
        await record(stream, outcome);
      } catch (error) {
        logger.error({ streamId: stream.id, err: error }, 'schedule status could not be recorded');
      }
    }
  }
  return report;
}

async function deleteOrphanSchedules(
  client: Client,
  known: Set<string>,
  report: ReconcileReport,
  logger: Logger,
): Promise<void> {
  // The list comes from visibility, which lags: it may still name a schedule deleted a moment ago (not
  // found now, nothing to do) and may not yet name one created a moment ago (the next reconcile will).
  for await (const schedule of client.schedule.list()) {
    if (!schedule.scheduleId.startsWith(SCHEDULE_ID_PREFIX) || known.has(schedule.scheduleId)) continue;
    try {
      await client.schedule.getHandle(schedule.scheduleId).delete();
    } catch (error) {
      if (error instanceof ScheduleNotFoundError) continue;
      throw error;
    }
    report.deleted += 1;
    logger.info({ scheduleId: schedule.scheduleId }, 'orphan schedule deleted');
  }
}

/**
 * The reconcile `npm start` and the API process run before they serve: every stream of the database,
 * each outcome recorded on its row. It never throws for a stream's schedule, so a stream Temporal
 * refuses cannot keep the API (the place to fix or delete it) from coming up.
 */
export async function reconcileDatabaseSchedules(
  client: Client,
  db: Database,
  taskQueue: string,
  logger: Logger,
): Promise<ReconcileReport> {
  const report = await reconcileSchedules(client, await allStreams(db), taskQueue, logger, async (stream, outcome) => {
    await recordScheduleOutcome(db, stream.id, outcome);
  });
  logger[report.failed > 0 ? 'warn' : 'info'](report, 'schedules reconciled with the database');
  return report;
}

/** What Temporal says of a stream's schedule now: whether it is paused, and when it fires next. */
export interface StreamScheduleState {
  scheduleId: string;
  paused: boolean;
  note: string | null;
  /** The next few fire times Temporal computed (ISO 8601), soonest first; empty while paused. */
  nextFireTimes: string[];
}

/** The stream's schedule as Temporal holds it, or undefined when it has none. */
export async function describeStreamSchedule(
  client: Client,
  streamId: string,
): Promise<StreamScheduleState | undefined> {
  const scheduleId = scheduleIdFor(streamId);
  try {
    const description = await client.schedule.getHandle(scheduleId).describe();
    return {
      scheduleId,
      paused: description.state.paused,
      note: description.state.note ?? null,
      nextFireTimes: description.state.paused ? [] : description.info.nextActionTimes.map((time) => time.toISOString()),
    };
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) return undefined;
    throw error;
  }
}

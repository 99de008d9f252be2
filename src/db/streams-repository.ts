import type { Frequency, OverlapPolicy } from '../../schemas/frequency.js';
import type { RunPolicy } from '../../schemas/run-policy.js';
import type { RecordRunOutcomeInput, RunCounts } from '../../schemas/stream-run.js';
import { readCreatedKeyPage, type CreatedKey } from './created-cursor.js';
import type { Database } from './database.js';
import { newId } from './ids.js';
import type { ScheduleStatus, StreamStatus, StreamsTable } from './schema.js';
import {
  defaultProbeSettings,
  healthyRecord,
  nextHealth,
  type HealthTransition,
  type ProbeSettings,
  type StreamHealthRecord,
} from '../health/stream-health.js';

export interface Stream {
  id: string;
  name: string;
  taskType: string;
  config: unknown;
  sourceId: string;
  runPolicy: RunPolicy | null;
  frequency: Frequency | null;
  overlapPolicy: OverlapPolicy;
  status: StreamStatus;
  pauseNote: string | null;
  createdAt: string;
  updatedAt: string;
  lastRun: LastRun | null;
  /** `error` when Temporal refused the stream's schedule (or could not be reached), with the reason in scheduleError. */
  scheduleStatus: ScheduleStatus;
  scheduleError: string | null;
  health: StreamHealth;
}

/** How the stream's runs have been going lately: GET /streams answers which streams are sick, and why. */
export interface StreamHealth {
  /** healthy: the last counted run succeeded; degraded: failing, below the threshold; quarantined: schedule paused, probing. */
  state: StreamHealthRecord['state'];
  consecutiveFailures: number;
  /** The last failed run's error (and failure type), kept until a run succeeds. */
  lastError: { message: string | null; type: string | null } | null;
  quarantinedAt: string | null;
  /** While quarantined: how often the probe runs now, and when it runs next. */
  probeIntervalSeconds: number | null;
  nextProbeAt: string | null;
}

export interface LastRun {
  runId: string;
  status: string;
  at: string;
  counts: RunCounts | null;
  error: string | null;
}

export interface NewStream {
  name: string;
  taskType: string;
  config: unknown;
  sourceId: string;
  runPolicy?: RunPolicy | undefined;
  frequency?: Frequency | undefined;
  overlapPolicy?: OverlapPolicy | undefined;
}

/** Fields a stream update may change; the task type is fixed for a stream's life. */
export interface StreamChanges {
  name?: string | undefined;
  config?: unknown;
  runPolicy?: RunPolicy | null | undefined;
  frequency?: Frequency | null | undefined;
  overlapPolicy?: OverlapPolicy | undefined;
}

/** Thrown when a stream name is already taken; names are how people find their streams. */
export class StreamNameTakenError extends Error {
  override readonly name = 'StreamNameTakenError';
  constructor(readonly streamName: string) {
    super(`a stream named "${streamName}" already exists`);
  }
}

const json = (value: unknown) => (value === undefined || value === null ? null : JSON.stringify(value));

export async function insertStream(db: Database, input: NewStream): Promise<Stream> {
  const now = new Date().toISOString();
  const row: StreamsTable = {
    id: newId('str'),
    name: input.name,
    task_type: input.taskType,
    config: JSON.stringify(input.config),
    source_id: input.sourceId,
    run_policy: json(input.runPolicy),
    frequency: json(input.frequency),
    overlap_policy: input.overlapPolicy ?? 'skip',
    pause_note: null,
    status: 'active',
    created_at: now,
    updated_at: now,
    last_run_id: null,
    last_run_status: null,
    last_run_at: null,
    last_run_counts: null,
    last_run_error: null,
    schedule_status: 'ok',
    schedule_error: null,
    ...healthColumns(healthyRecord()),
    health_run_id: null,
  };
  const inserted = await db
    .insertInto('streams')
    .values(row)
    .onConflict((conflict) => conflict.column('name').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) throw new StreamNameTakenError(input.name);
  return toStream(row);
}

export async function findStream(db: Database, id: string): Promise<Stream | undefined> {
  const row = await db.selectFrom('streams').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toStream(row);
}

export interface StreamFilter {
  limit: number;
  /** Streams after this key (the previous page's last), newest first. */
  after?: CreatedKey | undefined;
  taskType?: string | undefined;
  status?: StreamStatus | undefined;
  health?: StreamHealthRecord['state'] | undefined;
}

/** Streams matching every given filter, newest first, a page at a time by a (created_at, id) cursor. */
export async function listStreams(
  db: Database,
  filter: StreamFilter,
): Promise<{ streams: Stream[]; nextCursor: string | null }> {
  let query = db.selectFrom('streams').selectAll();
  if (filter.taskType) query = query.where('task_type', '=', filter.taskType);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.health) query = query.where('health', '=', filter.health);
  const { page, nextCursor } = await readCreatedKeyPage(query, filter, toStream);
  return { streams: page, nextCursor };
}

/** Every stream, for reconciling schedules; streams number in the thousands at most. */
export async function allStreams(db: Database): Promise<Stream[]> {
  return (await db.selectFrom('streams').selectAll().orderBy('id').execute()).map(toStream);
}

/** Streams whose schedule could not follow their last change: what the schedule repair retries. */
export async function streamsWithScheduleErrors(db: Database): Promise<Stream[]> {
  return (
    await db.selectFrom('streams').selectAll().where('schedule_status', '=', 'error').orderBy('id').execute()
  ).map(toStream);
}

export async function updateStream(db: Database, id: string, changes: StreamChanges): Promise<Stream | undefined> {
  const set: Partial<StreamsTable> = { updated_at: new Date().toISOString() };
  if (changes.name !== undefined) set.name = changes.name;
  if (changes.config !== undefined) set.config = JSON.stringify(changes.config);
  if (changes.runPolicy !== undefined) set.run_policy = json(changes.runPolicy);
  if (changes.frequency !== undefined) set.frequency = json(changes.frequency);
  if (changes.overlapPolicy !== undefined) set.overlap_policy = changes.overlapPolicy;
  if (changes.name !== undefined) {
    const clash = await db
      .selectFrom('streams')
      .select('id')
      .where('name', '=', changes.name)
      .where('id', '!=', id)
      .executeTakeFirst();
    if (clash) throw new StreamNameTakenError(changes.name);
  }
  await db.updateTable('streams').set(set).where('id', '=', id).execute();
  return findStream(db, id);
}

export async function setStreamStatus(
  db: Database,
  id: string,
  status: StreamStatus,
  note: string | null,
): Promise<Stream | undefined> {
  const now = new Date().toISOString();
  // Resuming is a person saying "try again": it clears the failures and any quarantine.
  const health = status === 'active' ? healthColumns(healthyRecord()) : {};
  await db.transaction().execute(async (tx) => {
    const updated = await tx
      .updateTable('streams')
      .set({ status, pause_note: note, updated_at: now, ...health })
      .where('id', '=', id)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) > 0)
      await tx
        .insertInto('stream_events')
        .values({ stream_id: id, at: now, kind: status === 'paused' ? 'paused' : 'resumed', note })
        .execute();
  });
  return findStream(db, id);
}

export type ScheduleOutcome = { status: 'ok' } | { status: 'error'; error: string };

/**
 * Records whether the stream's schedule could follow it. Not a change of the stream itself, so
 * updated_at stays; returns the stream as it now reads, or undefined when it is gone.
 */
export async function recordScheduleOutcome(
  db: Database,
  id: string,
  outcome: ScheduleOutcome,
): Promise<Stream | undefined> {
  const error = outcome.status === 'error' ? outcome.error.slice(0, MAX_SCHEDULE_ERROR_LENGTH) : null;
  await db
    .updateTable('streams')
    .set({ schedule_status: outcome.status, schedule_error: error })
    .where('id', '=', id)
    .execute();
  return findStream(db, id);
}

/** Temporal's messages are short; a cap keeps a pathological one out of every stream listing. */
const MAX_SCHEDULE_ERROR_LENGTH = 2000;

/** Removes the stream; its items stay, they belong to the source. */
export async function deleteStream(db: Database, id: string): Promise<boolean> {
  await db.deleteFrom('active_runs').where('stream_id', '=', id).execute();
  const result = await db.deleteFrom('streams').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export interface RecordedOutcome {
  /** The stream as it now reads; undefined when it was deleted. */
  stream: Stream | undefined;
  transition: HealthTransition;
  /** This run's outcome had been counted already (a retried activity): nothing changed this time. */
  repeated: boolean;
}

/**
 * Written at the end of every run whatever its outcome, with the stream's health in the same
 * transaction (src/health/stream-health.ts). Idempotent: the run that health last counted is kept, so a
 * retried write changes nothing and says so (`repeated`).
 */
export async function recordRunOutcome(
  db: Database,
  outcome: RecordRunOutcomeInput,
  probe: ProbeSettings = defaultProbeSettings,
): Promise<RecordedOutcome> {
  const now = new Date();
  const result = await db.transaction().execute(async (tx) => {
    // The run is over: it no longer holds the stream (src/temporal/active-run-gate.ts).
    await tx
      .deleteFrom('active_runs')
      .where('stream_id', '=', outcome.streamId)
      .where('run_id', '=', outcome.runId)
      .execute();
    const row = await tx.selectFrom('streams').selectAll().where('id', '=', outcome.streamId).executeTakeFirst();
    if (!row) return { transition: 'none' as const, repeated: false };
    const repeated = row.health_run_id === outcome.runId;
    const current = toStream(row);
    const { record, transition } = repeated
      ? { record: healthRecordOf(row), transition: 'none' as const }
      : nextHealth(
          healthRecordOf(row),
          { ...outcome, at: now },
          current.runPolicy ?? {},
          probe,
          current.frequency !== null && current.status === 'active',
        );
    await tx
      .updateTable('streams')
      .set({
        last_run_id: outcome.runId,
        last_run_status: outcome.status,
        last_run_at: now.toISOString(),
        last_run_counts: JSON.stringify(outcome.counts),
        last_run_error: outcome.error,
        ...healthColumns(record),
        health_run_id: outcome.runId,
      })
      .where('id', '=', outcome.streamId)
      .execute();
    if (transition === 'quarantined' || transition === 'released')
      await tx
        .insertInto('stream_events')
        .values({ stream_id: outcome.streamId, at: now.toISOString(), kind: transition, note: record.error })
        .execute();
    return { transition, repeated };
  });
  return { ...result, stream: await findStream(db, outcome.streamId) };
}

function healthRecordOf(row: StreamsTable): StreamHealthRecord {
  return {
    state: row.health,
    consecutiveFailures: row.consecutive_failures,
    error: row.health_error,
    errorType: row.health_error_type,
    quarantinedAt: row.quarantined_at,
    probeIntervalSeconds: row.probe_interval_seconds,
    nextProbeAt: row.next_probe_at,
  };
}

function healthColumns(record: StreamHealthRecord) {
  return {
    health: record.state,
    consecutive_failures: record.consecutiveFailures,
    health_error: record.error,
    health_error_type: record.errorType,
    quarantined_at: record.quarantinedAt,
    probe_interval_seconds: record.probeIntervalSeconds,
    next_probe_at: record.nextProbeAt,
  };
}

function toStream(row: StreamsTable): Stream {
  return {
    id: row.id,
    name: row.name,
    taskType: row.task_type,
    config: JSON.parse(row.config) as unknown,
    sourceId: row.source_id,
    runPolicy: row.run_policy ? (JSON.parse(row.run_policy) as RunPolicy) : null,
    frequency: row.frequency ? (JSON.parse(row.frequency) as Frequency) : null,
    overlapPolicy: row.overlap_policy as OverlapPolicy,
    status: row.status,
    pauseNote: row.pause_note,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastRun:
      row.last_run_id && row.last_run_status && row.last_run_at
        ? {
            runId: row.last_run_id,
            status: row.last_run_status,
            at: row.last_run_at,
            counts: row.last_run_counts ? (JSON.parse(row.last_run_counts) as RunCounts) : null,
            error: row.last_run_error,
          }
        : null,
    scheduleStatus: row.schedule_status,
    scheduleError: row.schedule_error,
    health: {
      state: row.health,
      consecutiveFailures: row.consecutive_failures,
      lastError:
        row.health_error !== null || row.health_error_type !== null
          ? { message: row.health_error, type: row.health_error_type }
          : null,
      quarantinedAt: row.quarantined_at,
      probeIntervalSeconds: row.probe_interval_seconds,
      nextProbeAt: row.next_probe_at,
    },
  };
}

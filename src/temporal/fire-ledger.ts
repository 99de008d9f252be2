import { ScheduleNotFoundError, type Client, type ScheduleDescription } from '@temporalio/client';
import { searchAttributes, workflowTypes } from '../../schemas/temporal-names.js';
import type { Database } from '../db/database.js';
import type { Stream } from '../db/streams-repository.js';
import { cronFireTimes, intervalFireTimes } from '../health/fire-times.js';
import { CATCHUP_WINDOW, scheduleIdFor } from './schedules.js';

/** A fire this recent may not have its run in visibility yet: it is `pending`, not missed. */
const PENDING_GRACE_MS = 10_000;
/** Runs read per ledger; a 5-minute stream has 2,016 in the longest window (7 days). */
const MAX_RUNS = 5000;
export const MAX_LEDGER_FIRES = 2100;

export type FireOutcome = 'started' | 'skipped_overlap' | 'missed' | 'not_due_paused' | 'pending' | 'unknown';

export interface Fire {
  /** When the schedule should have fired. */
  at: string;
  outcome: FireOutcome;
  /** started: the run it started. */
  runId?: string;
  runStatus?: string;
  /** skipped_overlap: the run that was still going. */
  runningRunId?: string;
  explanation: string;
}

export interface FireLedger {
  streamId: string;
  scheduleId: string;
  since: string;
  until: string;
  /** What the fires became, counted. */
  summary: Record<FireOutcome, number>;
  fires: Fire[];
  /** Temporal's own view of the schedule, to cross-check the ledger: its counters over the schedule's whole life. */
  schedule: {
    exists: boolean;
    paused: boolean;
    note: string | null;
    overlapPolicy: string | null;
    catchupWindow: string;
    createdAt: string | null;
    actionsTaken: number | null;
    skippedOverlap: number | null;
    missedCatchupWindow: number | null;
    nextFires: string[];
  };
}

interface RunSpan {
  workflowId: string;
  status: string;
  startedAt: number;
  closedAt: number | null;
  /** For runs the schedule started: the fire they belong to (Temporal appends it to the workflow id). */
  scheduledFor: number | null;
}

interface PausedSpan {
  from: number;
  to: number;
  reason: 'paused' | 'quarantined';
  note: string | null;
}

/**
 * Every fire the stream's schedule should have made in [since, until], and what became of it. The
 * expected fires come from the schedule's spec (the stream's cron for a cron frequency), the runs from
 * Temporal's visibility (scheduled runs carry their fire time in their id), pauses and quarantines from
 * the stream's own log (stream_events): Temporal keeps no history of a schedule's pauses.
 */
export async function fireLedger(
  client: Client,
  db: Database,
  stream: Stream,
  window: { since: Date; until: Date },
  now = new Date(),
): Promise<FireLedger> {
  const scheduleId = scheduleIdFor(stream.id);
  let description: ScheduleDescription | undefined;
  try {
    description = await client.schedule.getHandle(scheduleId).describe();
  } catch (error) {
    if (!(error instanceof ScheduleNotFoundError)) throw error;
  }
  const since = window.since;
  const until = new Date(Math.min(window.until.getTime(), now.getTime()));
  const createdAt = description?.info.createdAt ?? new Date(stream.createdAt);
  const from = new Date(Math.max(since.getTime(), createdAt.getTime()));
  const expected = description ? expectedFires(description, stream, from, until) : [];
  if (expected.length > MAX_LEDGER_FIRES) throw new LedgerTooLargeError(expected.length);

  const [runs, paused, retentionMs] = await Promise.all([
    expected.length > 0 ? runSpans(client, stream.id, from, until) : Promise.resolve([]),
    pausedSpans(db, stream, now),
    namespaceRetentionMs(client),
  ]);
  const byFire = new Map(runs.filter((run) => run.scheduledFor !== null).map((run) => [run.scheduledFor!, run]));
  const fires = expected.map((at) =>
    classifyFire(at.getTime(), {
      byFire,
      runs,
      paused,
      now: now.getTime(),
      retentionMs,
      overlap: stream.overlapPolicy,
    }),
  );
  const summary: Record<FireOutcome, number> = {
    started: 0,
    skipped_overlap: 0,
    missed: 0,
    not_due_paused: 0,
    pending: 0,
    unknown: 0,
  };
  for (const fire of fires) summary[fire.outcome] += 1;
  return {
    streamId: stream.id,
    scheduleId,
    since: since.toISOString(),
    until: until.toISOString(),
    summary,
    fires,
    schedule: {
      exists: description !== undefined,
      paused: description?.state.paused ?? false,
      note: description?.state.note ?? null,
      overlapPolicy: description?.policies.overlap ?? null,
      catchupWindow: CATCHUP_WINDOW,
      createdAt: description?.info.createdAt.toISOString() ?? null,
      actionsTaken: description?.info.numActionsTaken ?? null,
      skippedOverlap: description?.info.numActionsSkippedOverlap ?? null,
      missedCatchupWindow: description?.info.numActionsMissedCatchupWindow ?? null,
      nextFires: (description?.info.nextActionTimes ?? []).slice(0, 3).map((at) => at.toISOString()),
    },
  };
}

/** Thrown when a window holds more fires than one answer carries; the caller asks for a shorter one. */
export class LedgerTooLargeError extends Error {
  override readonly name = 'LedgerTooLargeError';
  constructor(readonly fires: number) {
    super(`the window holds ${fires} fires, more than ${MAX_LEDGER_FIRES}; ask for a shorter one (since/until)`);
  }
}

function expectedFires(description: ScheduleDescription, stream: Stream, from: Date, until: Date): Date[] {
  const fires: Date[] = [];
  for (const interval of description.spec.intervals ?? [])
    fires.push(...intervalFireTimes(Number(interval.every), Number(interval.offset ?? 0), from, until));
  if (stream.frequency && typeof stream.frequency === 'object')
    fires.push(...cronFireTimes(stream.frequency.cron, stream.frequency.timezone, from, until));
  return fires.sort((a, b) => a.getTime() - b.getTime());
}

export function classifyFire(
  at: number,
  context: {
    byFire: Map<number, RunSpan>;
    runs: RunSpan[];
    paused: PausedSpan[];
    now: number;
    retentionMs: number | null;
    overlap: string;
  },
): Fire {
  const iso = new Date(at).toISOString();
  const run = context.byFire.get(at);
  if (run)
    return {
      at: iso,
      outcome: 'started',
      runId: run.workflowId,
      runStatus: run.status,
      explanation: `started run ${run.workflowId} (${run.status})`,
    };
  const pause = context.paused.find((span) => span.from <= at && at < span.to);
  if (pause)
    return {
      at: iso,
      outcome: 'not_due_paused',
      explanation:
        pause.reason === 'quarantined'
          ? `not due: the stream was quarantined (schedule paused, probed instead)${pause.note ? `: ${pause.note}` : ''}`
          : `not due: the stream was paused${pause.note ? ` (${pause.note})` : ''}`,
    };
  if (context.now - at < PENDING_GRACE_MS)
    return { at: iso, outcome: 'pending', explanation: 'just due; its run may not be visible yet' };
  const running = context.runs.find(
    (candidate) => candidate.startedAt <= at && (candidate.closedAt === null || candidate.closedAt > at),
  );
  if (running && context.overlap === 'skip')
    return {
      at: iso,
      outcome: 'skipped_overlap',
      runningRunId: running.workflowId,
      explanation: `skipped by the overlap policy: run ${running.workflowId} was still going`,
    };
  if (context.retentionMs !== null && context.now - at > context.retentionMs)
    return {
      at: iso,
      outcome: 'unknown',
      explanation: "older than the namespace's retention: a run it started may have been deleted since",
    };
  return {
    at: iso,
    outcome: 'missed',
    explanation: `missed: no run started and none was going, so the schedule could not fire (Temporal down or unreachable) and the outage outlasted the catch-up window (${CATCHUP_WINDOW})`,
  };
}

async function runSpans(client: Client, streamId: string, from: Date, until: Date): Promise<RunSpan[]> {
  const quoted = streamId.replace(/'/g, "''");
  const query =
    `${searchAttributes.streamId.name} = '${quoted}' AND WorkflowType = '${workflowTypes.streamRun}' ` +
    `AND StartTime <= '${until.toISOString()}' AND (CloseTime >= '${from.toISOString()}' OR ExecutionStatus = 'Running')`;
  const spans: RunSpan[] = [];
  for await (const execution of client.workflow.list({ query, pageSize: 1000 })) {
    spans.push({
      workflowId: execution.workflowId,
      status: execution.status.name.toLowerCase(),
      startedAt: execution.startTime.getTime(),
      closedAt: execution.closeTime?.getTime() ?? null,
      scheduledFor: scheduledTimeOf(execution.workflowId, streamId),
    });
    if (spans.length >= MAX_RUNS) break;
  }
  return spans;
}

/** `<streamId>-scheduled-2026-12-06T07:00:00Z`: Temporal appends the fire's time to the schedule's workflow id. */
export function scheduledTimeOf(workflowId: string, streamId: string): number | null {
  const prefix = `${streamId}-scheduled-`;
  if (!workflowId.startsWith(prefix)) return null;
  const at = Date.parse(workflowId.slice(prefix.length));
  return Number.isNaN(at) ? null : at;
}

async function pausedSpans(db: Database, stream: Stream, now: Date): Promise<PausedSpan[]> {
  const events = await db
    .selectFrom('stream_events')
    .selectAll()
    .where('stream_id', '=', stream.id)
    .orderBy('id')
    .execute();
  const spans: PausedSpan[] = [];
  let open: Omit<PausedSpan, 'to'> | null = null;
  for (const event of events) {
    const at = Date.parse(event.at);
    if (event.kind === 'paused' || event.kind === 'quarantined') {
      open ??= { from: at, reason: event.kind, note: event.note };
    } else if (open) {
      // A resume ends any stop; a release ends a quarantine only (a paused stream stays paused).
      if (event.kind === 'resumed' || open.reason === 'quarantined') {
        spans.push({ ...open, to: at });
        open = null;
      }
    }
  }
  if (open) spans.push({ ...open, to: now.getTime() + 1 });
  return spans;
}

async function namespaceRetentionMs(client: Client): Promise<number | null> {
  try {
    const namespace = await client.workflowService.describeNamespace({ namespace: client.options.namespace });
    const ttl = namespace.config?.workflowExecutionRetentionTtl?.seconds;
    if (ttl === undefined || ttl === null) return null;
    return (typeof ttl === 'number' ? ttl : ttl.toNumber()) * 1000;
  } catch {
    return null;
  }
}

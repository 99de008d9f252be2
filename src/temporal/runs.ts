import {
  ApplicationFailure,
  WorkflowExecutionAlreadyStartedError,
  WorkflowFailedError,
  WorkflowNotFoundError,
  type Client,
  type WorkflowExecutionStatusName,
} from '@temporalio/client';
import type { RunProgress, RunTrigger, StreamRunInput, StreamRunResult } from '../../schemas/stream-run.js';
import { queries, searchAttributes, workflowTypes } from '../../schemas/temporal-names.js';
import type { streamRun } from '../../workflows/stream-run.js';
import type { Stream } from '../db/streams-repository.js';
import type { ActiveRunGate } from './active-run-gate.js';
import { isTemporalUnavailable } from './client.js';
import { newRunId } from './run-ids.js';

import type { RunStatus } from '../../schemas/statuses.js';

export { runStatuses, type RunStatus } from '../../schemas/statuses.js';

export interface RunView {
  id: string;
  streamId: string | null;
  taskType: string | null;
  trigger: string | null;
  status: RunStatus;
  startedAt: string;
  closedAt: string | null;
  progress: RunProgress | null;
  result: StreamRunResult | null;
  error: { type: string | null; message: string } | null;
}

/** How long GET /runs/:id waits for a live progress answer before reporting without it. */
const PROGRESS_QUERY_DEADLINE_MS = 3000;

export interface RunStarter {
  client: Client;
  taskQueue: string;
}

/**
 * How a run of this stream is started, manual or scheduled alike, so the Temporal UI shows and filters
 * both the same way: the input, the search attributes and the summary.
 */
export function streamRunStartOptions(stream: Stream, trigger: RunTrigger, taskQueue: string) {
  const input: StreamRunInput = {
    streamId: stream.id,
    streamName: stream.name,
    sourceId: stream.sourceId,
    taskType: stream.taskType,
    config: stream.config,
    trigger,
    ...(stream.runPolicy ? { runPolicy: stream.runPolicy } : {}),
  };
  return {
    workflowType: workflowTypes.streamRun,
    taskQueue,
    args: [input] as [StreamRunInput],
    typedSearchAttributes: [
      { key: searchAttributes.streamId, value: stream.id },
      { key: searchAttributes.streamName, value: stream.name },
      { key: searchAttributes.taskType, value: stream.taskType },
      { key: searchAttributes.trigger, value: trigger },
    ],
    staticSummary: `${stream.name} · ${stream.taskType} · ${trigger}`,
    staticDetails: `Stream **${stream.name}** (\`${stream.id}\`), task \`${stream.taskType}\`, source \`${stream.sourceId}\`.`,
  };
}

export interface StartRunOptions {
  /** Start even while another run of the stream is going (it is still recorded as going). */
  force?: boolean;
  /** The run's id, when the caller reserved one (an Idempotency-Key); a fresh one otherwise. */
  runId?: string;
  /**
   * Start it only if no run has this id yet, and answer the existing run otherwise: how requests with
   * one Idempotency-Key make sure its run exists (the first one may have died before starting it)
   * without ever starting a second. Temporal itself deduplicates, so requests racing start it once.
   */
  onlyIfNew?: boolean;
  /** Times each step (the active-run check, the start), for the API's Server-Timing header. */
  measure?: <T>(step: string, work: () => Promise<T>) => Promise<T>;
}

/** Temporal's own de-duplication for a run id that must name one run only. */
const ONLY_IF_NEW = { workflowIdReusePolicy: 'REJECT_DUPLICATE', workflowIdConflictPolicy: 'USE_EXISTING' } as const;

async function startOnce(start: () => Promise<unknown>, onlyIfNew: boolean | undefined): Promise<void> {
  try {
    await start();
  } catch (error) {
    // A closed run with this id: it is the run the id names.
    if (onlyIfNew && error instanceof WorkflowExecutionAlreadyStartedError) return;
    throw error;
  }
}

export async function startStreamRun(
  { client, taskQueue }: RunStarter,
  gate: ActiveRunGate,
  stream: Stream,
  trigger: RunTrigger,
  options: StartRunOptions = {},
): Promise<string> {
  const measure = options.measure ?? ((_step, work) => work());
  const runId = options.runId ?? newRunId(stream.id);
  await measure('active-run-claim', () => gate.claim(stream.id, runId, { force: options.force ?? false }));
  const { workflowType, ...startOptions } = streamRunStartOptions(stream, trigger, taskQueue);
  try {
    await measure('temporal-start', () =>
      startOnce(
        () =>
          client.workflow.start<typeof streamRun>(workflowType, {
            ...startOptions,
            workflowId: runId,
            ...(options.onlyIfNew ? ONLY_IF_NEW : {}),
          }),
        options.onlyIfNew,
      ),
    );
  } catch (error) {
    // Unreachable or past its deadline, Temporal may still have started it: the claim stays, and a later
    // check finds the run, or after a grace period no run, and decides then.
    if (!isTemporalUnavailable(error)) await gate.release(stream.id, runId);
    throw error;
  }
  return runId;
}

/** The stream id ad-hoc runs carry: they belong to no stored stream. */
export const AD_HOC_STREAM_ID = 'adhoc';

export interface AdHocRun {
  taskType: string;
  /** Already validated by the task's schema. */
  config: unknown;
  sourceId?: string | undefined;
  dryRun: boolean;
}

export const newAdHocRunId = (taskType: string) => newRunId(`${AD_HOC_STREAM_ID}-${taskType}`);

/** Runs a task once on a config with no stored stream: a preview (dryRun) or a one-off collection into a source. */
export async function startAdHocRun(
  { client, taskQueue }: RunStarter,
  run: AdHocRun,
  options: Pick<StartRunOptions, 'runId' | 'onlyIfNew'> = {},
): Promise<string> {
  const runId = options.runId ?? newAdHocRunId(run.taskType);
  const input: StreamRunInput = {
    streamId: AD_HOC_STREAM_ID,
    streamName: `ad-hoc ${run.taskType}${run.dryRun ? ' (dry run)' : ''}`,
    sourceId: run.sourceId ?? AD_HOC_STREAM_ID,
    taskType: run.taskType,
    config: run.config,
    trigger: 'manual',
    dryRun: run.dryRun,
  };
  const start = () =>
    client.workflow.start<typeof streamRun>(workflowTypes.streamRun, {
      taskQueue,
      workflowId: runId,
      args: [input],
      typedSearchAttributes: [
        { key: searchAttributes.streamId, value: AD_HOC_STREAM_ID },
        { key: searchAttributes.streamName, value: input.streamName },
        { key: searchAttributes.taskType, value: run.taskType },
        { key: searchAttributes.trigger, value: 'manual' },
      ],
      staticSummary: `${input.streamName} · ${run.taskType}`,
      ...(options.onlyIfNew ? ONLY_IF_NEW : {}),
    });
  await startOnce(start, options.onlyIfNew);
  return runId;
}

/** The run as the API shows it, or undefined when no NewLoom run has this id. */
export async function describeRun(client: Client, runId: string): Promise<RunView | undefined> {
  const handle = client.workflow.getHandle(runId);
  let description;
  try {
    description = await handle.describe();
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return undefined;
    throw error;
  }
  if (description.type !== workflowTypes.streamRun) return undefined;

  const status = toRunStatus(description.status.name);
  const view: RunView = {
    id: runId,
    streamId: description.typedSearchAttributes.get(searchAttributes.streamId) ?? null,
    taskType: description.typedSearchAttributes.get(searchAttributes.taskType) ?? null,
    trigger: description.typedSearchAttributes.get(searchAttributes.trigger) ?? null,
    status,
    startedAt: description.startTime.toISOString(),
    closedAt: description.closeTime?.toISOString() ?? null,
    progress: null,
    result: null,
    error: null,
  };

  if (status === 'completed') {
    view.result = (await handle.result()) as StreamRunResult;
  } else if (status !== 'running' && status !== 'cancelled') {
    view.error = await closingError(handle.result());
  }
  if (status === 'running' || status === 'failed' || status === 'cancelled') {
    view.progress = withPendingAttempt(await queryProgress(client, runId), description.raw.pendingActivities?.[0]);
  } else if (view.result) {
    view.progress = { phase: 'completed', counts: view.result.counts, attempt: view.result.attempt, lastError: null };
  }
  return view;
}

/** Thrown when a run is asked to stop but has already closed. */
export class RunNotRunningError extends Error {
  override readonly name = 'RunNotRunningError';
  constructor(
    readonly runId: string,
    readonly status: RunStatus,
  ) {
    super(`run ${runId} is already ${status}`);
  }
}

export async function cancelRun(client: Client, run: RunView): Promise<void> {
  if (run.status !== 'running') throw new RunNotRunningError(run.id, run.status);
  await client.workflow.getHandle(run.id).cancel();
}

/**
 * The workflow learns an activity's attempt only when it ends; while it is being retried, the server's
 * pending-activity record is the live source of the attempt number and the last failure.
 */
function withPendingAttempt(
  progress: RunProgress | null,
  pending: { attempt?: number | null; lastFailure?: { message?: string | null } | null } | undefined,
): RunProgress | null {
  if (!progress || !pending) return progress;
  return {
    ...progress,
    attempt: Math.max(progress.attempt, pending.attempt ?? 0),
    lastError: pending.lastFailure?.message ?? progress.lastError,
  };
}

async function queryProgress(client: Client, runId: string): Promise<RunProgress | null> {
  try {
    return await client.withDeadline(Date.now() + PROGRESS_QUERY_DEADLINE_MS, () =>
      client.workflow.getHandle(runId).query<RunProgress>(queries.progress),
    );
  } catch {
    // No worker answered in time (or the workflow failed before registering the query): report without.
    return null;
  }
}

async function closingError(result: Promise<unknown>): Promise<RunView['error']> {
  try {
    await result;
    return null;
  } catch (error) {
    if (!(error instanceof WorkflowFailedError)) throw error;
    let cause: unknown = error.cause ?? error;
    while (cause instanceof Error && cause.cause instanceof Error) cause = cause.cause;
    const type =
      cause instanceof ApplicationFailure ? (cause.type ?? null) : cause instanceof Error ? cause.name : null;
    return { type, message: cause instanceof Error ? cause.message : String(cause) };
  }
}

function toRunStatus(name: WorkflowExecutionStatusName): RunStatus {
  switch (name) {
    case 'COMPLETED':
      return 'completed';
    case 'FAILED':
      return 'failed';
    case 'CANCELLED':
      return 'cancelled';
    case 'TERMINATED':
      return 'terminated';
    case 'TIMED_OUT':
      return 'timed_out';
    default:
      // RUNNING, CONTINUED_AS_NEW (the chain goes on) and UNSPECIFIED.
      return 'running';
  }
}

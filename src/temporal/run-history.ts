import { defaultPayloadConverter, type Client } from '@temporalio/client';
import type { RunCounts } from '../../schemas/stream-run.js';
import { memoKeys, searchAttributes, workflowTypes } from '../../schemas/temporal-names.js';
import type { RunStatus } from './runs.js';

export interface RunSummary {
  id: string;
  status: RunStatus;
  trigger: string | null;
  startedAt: string | null;
  closedAt: string | null;
  counts: RunCounts | null;
  attempt: number | null;
  error: string | null;
}

export interface RunPage {
  runs: RunSummary[];
  /** Pass back as `cursor` for the next page; null on the last one. */
  nextCursor: string | null;
}

/** Thrown when a cursor was not issued by this API (or was mangled on the way). */
export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
  constructor() {
    super('not a cursor this API issued; start again without one');
  }
}

const CURSOR_PREFIX = 'nl1.';

// Temporal's page tokens are opaque bytes; the prefix lets us refuse foreign cursors before Temporal
// chokes on them (it answers a malformed token with an internal error, not a bad-argument one).
function encodeCursor(token: Uint8Array): string {
  return Buffer.from(CURSOR_PREFIX + Buffer.from(token).toString('base64')).toString('base64url');
}

function decodeCursor(cursor: string): Buffer {
  const decoded = Buffer.from(cursor, 'base64url').toString();
  if (!decoded.startsWith(CURSOR_PREFIX)) throw new InvalidCursorError();
  return Buffer.from(decoded.slice(CURSOR_PREFIX.length), 'base64');
}

/** Visibility answers in milliseconds; past this, something is wrong and the caller should hear it. */
const LIST_DEADLINE_MS = 10_000;

interface RunOutcomeMemo {
  counts?: RunCounts;
  attempt?: number;
  error?: string | null;
}

// temporal.api.enums.v1.WorkflowExecutionStatus
const STATUS_BY_CODE: Record<number, RunStatus> = {
  1: 'running',
  2: 'completed',
  3: 'failed',
  4: 'cancelled',
  5: 'terminated',
  6: 'running',
  7: 'timed_out',
};

/**
 * A stream's runs from Temporal's visibility store (by the NewloomStreamId search attribute), scheduled
 * and manual alike: open runs first, then by close time, newest first. Counts and errors come from the
 * memo each run leaves when it ends, so listing costs one visibility call, not one query per run.
 */
export async function listStreamRuns(
  client: Client,
  streamId: string,
  page: { pageSize: number; cursor?: string | undefined },
): Promise<RunPage> {
  const nextPageToken = page.cursor ? decodeCursor(page.cursor) : undefined;
  let response;
  try {
    response = await client.withDeadline(Date.now() + LIST_DEADLINE_MS, () =>
      client.workflowService.listWorkflowExecutions({
        namespace: client.options.namespace,
        query: `${searchAttributes.streamId.name} = '${streamId.replace(/'/g, "''")}' AND WorkflowType = '${workflowTypes.streamRun}'`,
        pageSize: page.pageSize,
        nextPageToken,
      }),
    );
  } catch (error) {
    if (nextPageToken) throw new InvalidCursorError();
    throw error;
  }
  const runs = (response.executions ?? []).map((execution): RunSummary => {
    const memoPayload = execution.memo?.fields?.[memoKeys.outcome];
    const outcome = memoPayload ? defaultPayloadConverter.fromPayload<RunOutcomeMemo>(memoPayload) : undefined;
    const triggerPayload = execution.searchAttributes?.indexedFields?.[searchAttributes.trigger.name];
    return {
      id: execution.execution?.workflowId ?? '',
      status: STATUS_BY_CODE[execution.status ?? 0] ?? 'running',
      trigger: triggerPayload ? defaultPayloadConverter.fromPayload<string>(triggerPayload) : null,
      startedAt: timestampToIso(execution.startTime),
      closedAt: timestampToIso(execution.closeTime),
      counts: outcome?.counts ?? null,
      attempt: outcome?.attempt ?? null,
      error: outcome?.error ?? null,
    };
  });
  const token = response.nextPageToken;
  return { runs, nextCursor: token && token.length > 0 ? encodeCursor(token) : null };
}

type Timestamp = { seconds?: number | { toNumber(): number } | null; nanos?: number | null } | null | undefined;

function timestampToIso(timestamp: Timestamp): string | null {
  if (!timestamp?.seconds) return null;
  const seconds = typeof timestamp.seconds === 'number' ? timestamp.seconds : timestamp.seconds.toNumber();
  return new Date(seconds * 1000 + Math.floor((timestamp.nanos ?? 0) / 1e6)).toISOString();
}

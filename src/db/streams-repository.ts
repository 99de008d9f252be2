import type { RunPolicy } from '../../schemas/run-policy.js';
import type { RecordRunOutcomeInput, RunCounts } from '../../schemas/stream-run.js';
import type { Database } from './database.js';
import { newId } from './ids.js';
import type { StreamStatus, StreamsTable } from './schema.js';

export interface Stream {
  id: string;
  name: string;
  taskType: string;
  config: unknown;
  sourceId: string;
  runPolicy: RunPolicy | null;
  status: StreamStatus;
  createdAt: string;
  updatedAt: string;
  lastRun: LastRun | null;
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
}

/** Thrown when a stream name is already taken; names are how people find their streams. */
export class StreamNameTakenError extends Error {
  override readonly name = 'StreamNameTakenError';
  constructor(readonly streamName: string) {
    super(`a stream named "${streamName}" already exists`);
  }
}

export async function insertStream(db: Database, input: NewStream): Promise<Stream> {
  const now = new Date().toISOString();
  const row: StreamsTable = {
    id: newId('str'),
    name: input.name,
    task_type: input.taskType,
    config: JSON.stringify(input.config),
    source_id: input.sourceId,
    run_policy: input.runPolicy ? JSON.stringify(input.runPolicy) : null,
    status: 'active',
    created_at: now,
    updated_at: now,
    last_run_id: null,
    last_run_status: null,
    last_run_at: null,
    last_run_counts: null,
    last_run_error: null,
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

export async function listStreams(db: Database, page: { limit: number; offset: number }): Promise<Stream[]> {
  const rows = await db
    .selectFrom('streams')
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return rows.map(toStream);
}

/** Written at the end of every run whatever its outcome; idempotent, so a retried write is harmless. */
export async function recordRunOutcome(db: Database, outcome: RecordRunOutcomeInput): Promise<void> {
  await db
    .updateTable('streams')
    .set({
      last_run_id: outcome.runId,
      last_run_status: outcome.status,
      last_run_at: new Date().toISOString(),
      last_run_counts: JSON.stringify(outcome.counts),
      last_run_error: outcome.error,
    })
    .where('id', '=', outcome.streamId)
    .execute();
}

function toStream(row: StreamsTable): Stream {
  return {
    id: row.id,
    name: row.name,
    taskType: row.task_type,
    config: JSON.parse(row.config) as unknown,
    sourceId: row.source_id,
    runPolicy: row.run_policy ? (JSON.parse(row.run_policy) as RunPolicy) : null,
    status: row.status,
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
  };
}

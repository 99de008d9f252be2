import { z } from 'zod';
import { docStatuses } from '../../schemas/docs.js';
import { httpUrl } from '../../schemas/fields.js';
import { frequencySchema, overlapPolicies } from '../../schemas/frequency.js';
import { runPolicySchema } from '../../schemas/run-policy.js';
import {
  publicationOutcomes,
  publicationStatuses,
  streamHealthStates,
  streamStatuses,
} from '../../schemas/statuses.js';
import { findTaskDefinition, taskDefinitions, taskTypes } from '../../schemas/tasks/index.js';
import { toFieldIssues } from '../../schemas/validation.js';
import { decodeCreatedCursor } from '../db/created-cursor.js';
import { validationError } from './errors.js';

const unknownTaskType = (type: unknown) =>
  type === undefined
    ? `a task type is required (known: ${taskTypes.join(', ')})`
    : `unknown task type ${JSON.stringify(type)} (known: ${taskTypes.join(', ')})`;

/**
 * A body that names a task: one variant per task type of the registry, each with that task's own config
 * schema, discriminated on `type`. So the document shows every config, a client (or a fuzzer) can build a
 * valid one, and a bad config is named at `body.config.<field>`.
 */
function taskBody<TShape extends z.ZodRawShape>(shape: TShape) {
  const [first, ...rest] = taskDefinitions.map((task) =>
    z.object({ type: z.literal(task.type), config: task.configSchema, ...shape }).strict(),
  );
  return z.discriminatedUnion('type', [first!, ...rest], {
    // zod hands over the whole body here; the message names its `type`.
    error: (issue) =>
      issue.code === 'invalid_union'
        ? unknownTaskType((issue.input as { type?: unknown } | undefined)?.type)
        : undefined,
  });
}

const streamFields = {
  name: z.string().trim().min(1).max(200),
  config: z
    .record(z.string(), z.unknown())
    .describe("the stream's task config, checked against its task type's schema (GET /tasks)"),
  /** Overrides of the task's timeouts and retry policy, within bounds. */
  runPolicy: runPolicySchema,
  /** When the stream runs by itself; absent or null: only by hand. */
  frequency: frequencySchema,
  /** What a scheduled run does when the previous one still runs. */
  overlapPolicy: z.enum(overlapPolicies),
};

export const createStreamBody = taskBody({
  name: streamFields.name,
  sourceId: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .describe('items are de-duplicated per source; without one, the stream gets a source of its own name'),
  runPolicy: streamFields.runPolicy.optional(),
  frequency: streamFields.frequency.optional(),
  overlapPolicy: streamFields.overlapPolicy.default('skip'),
});

export const updateStreamBody = z
  .object({
    name: streamFields.name.optional(),
    config: streamFields.config.optional(),
    runPolicy: streamFields.runPolicy.nullable().optional(),
    frequency: streamFields.frequency.nullable().optional(),
    overlapPolicy: streamFields.overlapPolicy.optional(),
  })
  .strict();

export const pauseBody = z.object({ note: z.string().trim().max(500).optional() }).strict();

export const streamParams = z.object({ id: z.string().min(1).max(100) });
export const runParams = z.object({ id: z.string().min(1).max(255) });

const limit = z.coerce.number().int().min(1).max(500).default(50);
/** Row ids are 32-bit integers in PostgreSQL: anything larger is no row, answered 404/400 rather than a database error. */
const MAX_ROW_ID = 2_147_483_647;
const rowIdCursor = z
  .string()
  // abort: a cursor that is not digits gets one issue, not a second from the range check.
  .regex(/^\d{1,10}$/, { message: 'must be the nextCursor of the previous page', abort: true })
  .refine((cursor) => Number(cursor) <= MAX_ROW_ID, 'must be the nextCursor of the previous page');
/** The cursor of lists keyed by (created_at, id): streams, sources, media. Decoded here, so a route gets the key. */
const createdCursor = z
  .string()
  .transform((cursor, context) => {
    const key = decodeCreatedCursor(cursor);
    if (!key) context.addIssue({ code: 'custom', message: 'must be the nextCursor of the previous page' });
    return key ?? z.NEVER;
  })
  .describe('nextCursor of the previous page');

export const streamListQuery = z
  .object({
    limit,
    cursor: createdCursor.optional(),
    type: z.string().optional(),
    status: z.enum(streamStatuses).optional(),
    health: z
      .enum(streamHealthStates)
      .optional()
      .describe('only streams in this health state (degraded and quarantined ones are the sick ones)'),
  })
  .strict();
export const itemPageQuery = z.object({ limit, cursor: rowIdCursor.optional() }).strict();
export const runPageQuery = z.object({
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().min(1).optional().describe('nextCursor of the previous page'),
});
export const runNowQuery = z.object({
  force: z.enum(['true', 'false']).default('false').describe('start even if a run of the stream is still going'),
});
/** A client's token for "start this run once": a retried request with the same key answers the same run. */
export const idempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .regex(/^[\x20-\x7e]{1,200}$/, 'must be 1 to 200 printable ASCII characters')
    .optional()
    .describe(
      'Start the run once: the same key (for the same stream) within 24 hours answers the run the first request started, with 200 and no new run, even with force=true.',
    ),
});
export const runEventsQuery = z.object({
  intervalMs: z.coerce
    .number()
    .int()
    .min(100)
    .max(10_000)
    .default(500)
    .describe('how often the run is polled for changes'),
});

/** A stored stream's new config, validated by its task's own schema, defaults applied; paths start at `body.config`. */
export function validTaskConfig(type: string, config: unknown): unknown {
  const task = findTaskDefinition(type);
  if (!task)
    throw validationError([
      { path: 'body.type', message: `unknown task type "${type}" (known: ${taskTypes.join(', ')})` },
    ]);
  const parsed = task.configSchema.safeParse(config);
  if (!parsed.success) throw validationError(toFieldIssues(parsed.error, 'body.config'));
  return parsed.data;
}

export const sourceParams = z.object({ id: z.string().min(1).max(100) });
export const createSourceBody = z
  .object({ name: z.string().trim().min(1).max(200), url: httpUrl.optional().describe("the source's site") })
  .strict();
export const updateSourceBody = z
  .object({ name: z.string().trim().min(1).max(200).optional(), url: httpUrl.nullable().optional() })
  .strict();
export const sourceListQuery = z.object({ limit, cursor: createdCursor.optional() }).strict();

const mediaFields = {
  name: z.string().trim().min(1).max(200),
  sourceIds: z
    .array(z.string().min(1).max(100))
    .max(200)
    .refine((ids) => new Set(ids).size === ids.length, 'lists a source more than once')
    .describe('the sources whose items news_stream writes from'),
  styleExamples: z
    .array(z.string().min(1).max(20_000))
    .max(20)
    .describe("texts in the medium's style; news_stream shows them to the model"),
};
export const createMediaBody = z
  .object({
    name: mediaFields.name,
    sourceIds: mediaFields.sourceIds.default([]),
    styleExamples: mediaFields.styleExamples.default([]),
  })
  .strict();
export const updateMediaBody = z
  .object({
    name: mediaFields.name.optional(),
    sourceIds: mediaFields.sourceIds.optional(),
    styleExamples: mediaFields.styleExamples.optional(),
  })
  .strict();
export const mediaParams = z.object({ id: z.string().min(1).max(100) });
export const mediaListQuery = z.object({ limit, cursor: createdCursor.optional() }).strict();

export const docParams = z.object({ id: z.coerce.number().int().min(1).max(MAX_ROW_ID) });
/** The ledger of a stream's schedule fires: a window of at most 7 days, the last 24 hours by default. */
export const MAX_FIRE_WINDOW_DAYS = 7;
export const fireLedgerWindow = z.object({
  since: z.iso.datetime({ offset: true }).optional().describe('fires at or after (ISO 8601); default 24 hours ago'),
  until: z.iso.datetime({ offset: true }).optional().describe('fires at or before (ISO 8601); default now'),
});
export const fireLedgerQuery = fireLedgerWindow.transform((query, context) => {
  const until = query.until ? new Date(query.until) : new Date();
  const since = query.since ? new Date(query.since) : new Date(until.getTime() - 24 * 3600_000);
  if (since > until) context.addIssue({ code: 'custom', path: ['since'], message: 'must not be after until' });
  if (until.getTime() - since.getTime() > MAX_FIRE_WINDOW_DAYS * 24 * 3600_000)
    context.addIssue({
      code: 'custom',
      path: ['since'],
      message: `the window is at most ${MAX_FIRE_WINDOW_DAYS} days`,
    });
  return { since, until };
});
export const itemParams = z.object({ id: z.coerce.number().int().min(1).max(MAX_ROW_ID) });
export const docSearchQuery = z
  .object({
    mediaId: z.string().optional(),
    streamId: z.string().optional().describe('the stream that wrote them'),
    runId: z.string().optional(),
    status: z.enum(docStatuses).optional(),
    limit,
    cursor: rowIdCursor.optional(),
  })
  .strict();
export const updateDocBody = z
  .object({
    title: z.string().trim().min(1).max(500).optional(),
    text: z.string().min(1).max(100_000).optional(),
    status: z.enum(docStatuses).optional().describe('e.g. back to new after an edit, so doc_publisher publishes it'),
  })
  .strict();

export const itemSearchQuery = z
  .object({
    sourceId: z.string().optional(),
    streamId: z.string().optional(),
    since: z.iso.datetime({ offset: true }).optional().describe('first seen at or after (ISO 8601)'),
    until: z.iso.datetime({ offset: true }).optional().describe('first seen before (ISO 8601)'),
    q: z.string().trim().min(1).max(200).optional().describe('text in the title or summary, case-insensitive'),
    limit,
    cursor: rowIdCursor.optional(),
  })
  .strict();

export const publicationSearchQuery = z
  .object({
    streamId: z.string().optional().describe('the publishing stream'),
    runId: z.string().optional(),
    channel: z.string().max(200).optional().describe('e.g. telegram:@newloom_digest or telegram:-1001234567890'),
    status: z.enum(publicationStatuses).optional(),
    limit,
    cursor: rowIdCursor.optional(),
  })
  .strict();

export const publicationParams = z.object({ id: z.coerce.number().int().min(1).max(MAX_ROW_ID) });
export const resolvePublicationBody = z
  .object({
    outcome: z
      .enum(publicationOutcomes)
      .describe(
        'what the channel shows: the message is there (sent) or it is not (not_sent: the next run sends it again)',
      ),
    externalId: z.string().trim().min(1).max(100).optional().describe("the message's id in the channel, when sent"),
  })
  .strict();

/** An ad-hoc run of a task and config with no stored stream; `dryRun` previews without saving. */
export const adHocRunBody = taskBody({
  sourceId: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .describe('where found items are saved: required by tasks that collect links, unless dryRun'),
  dryRun: z.boolean().default(false),
});

import { z } from 'zod';
import { docStatuses } from '../../../schemas/docs.js';
import { frequencyPresets, overlapPolicies } from '../../../schemas/frequency.js';
import { runPolicySchema } from '../../../schemas/run-policy.js';
import {
  publicationStatuses,
  runStatuses,
  scheduleStatuses,
  streamHealthStates,
  streamStatuses,
} from '../../../schemas/statuses.js';
import { runPhases } from '../../../schemas/stream-run.js';

// What the API answers, for the OpenAPI document. Tests parse real responses with these schemas, so a
// change to an answer that is not reflected here fails the suite.

const isoTime = z.string().describe('ISO 8601 time');

export const errorResponse = z.object({
  error: z.object({
    code: z.string().describe('stable, machine-readable'),
    message: z.string(),
    issues: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .describe('one per invalid field'),
  }),
});

export const runCountsSchema = z.object({
  found: z.number().describe('entries the source offered; for publishing tasks, the items due'),
  collected: z.number(),
  new: z.number(),
  duplicate: z.number(),
  enriched: z.number().optional().describe('parse_now: new items whose article text was stored'),
  published: z.number().optional().describe('publishing tasks: messages the channel accepted'),
  refused: z.number().optional().describe('publishing tasks: messages the channel rejected (not tried again)'),
  unknown: z
    .number()
    .optional()
    .describe('publishing tasks: messages whose send was interrupted; never re-sent automatically'),
});

export const streamResponse = z.object({
  id: z.string(),
  name: z.string(),
  taskType: z.string(),
  config: z.record(z.string(), z.unknown()),
  sourceId: z.string(),
  runPolicy: runPolicySchema.nullable(),
  // As stored: a stream saved before cron fields were checked may hold one Temporal refuses (scheduleStatus says so).
  frequency: z
    .union([z.enum(frequencyPresets), z.object({ cron: z.string(), timezone: z.string() }), z.null()])
    .describe('a preset, or a cron expression in a time zone; null: only by hand'),
  overlapPolicy: z.enum(overlapPolicies),
  status: z.enum(streamStatuses),
  pauseNote: z.string().nullable(),
  createdAt: isoTime,
  updatedAt: isoTime,
  lastRun: z
    .object({
      runId: z.string(),
      status: z.string(),
      at: isoTime,
      counts: runCountsSchema.nullable(),
      error: z.string().nullable(),
    })
    .nullable(),
  scheduleStatus: z
    .enum(scheduleStatuses)
    .describe(
      "error: Temporal refused the stream's schedule, or could not be reached, when it was last synced (at start or by a change); the stream runs only by hand until a change or the next start syncs it",
    ),
  scheduleError: z.string().nullable().describe('why the schedule could not be synced, when scheduleStatus is error'),
  health: z
    .object({
      state: z
        .enum(streamHealthStates)
        .describe(
          'healthy: the last run that ended succeeded; degraded: failing, below the quarantine threshold; quarantined: its schedule is paused and a slow probe runs it until one succeeds',
        ),
      consecutiveFailures: z.number().int(),
      lastError: z
        .object({ message: z.string().nullable(), type: z.string().nullable() })
        .nullable()
        .describe("the last failed run's error and failure type, kept until a run succeeds"),
      quarantinedAt: isoTime.nullable(),
      probeIntervalSeconds: z.number().int().nullable().describe('while quarantined: how often the probe runs now'),
      nextProbeAt: isoTime.nullable(),
    })
    .describe("how the stream's runs have been going: GET /streams?health=quarantined lists the sick ones"),
});

export const streamScheduleResponse = z.object({
  streamId: z.string(),
  frequency: streamResponse.shape.frequency,
  scheduled: z.boolean().describe('whether Temporal holds a schedule for the stream (false: it runs only by hand)'),
  paused: z.boolean(),
  note: z.string().nullable().describe("the schedule's note, e.g. why it is paused"),
  nextFireTimes: z.array(isoTime).describe('the next times the schedule fires, soonest first; empty while paused'),
});

export const streamListResponse = z.object({
  streams: z.array(streamResponse),
  nextCursor: z.string().nullable().describe('pass as cursor for the next page; null on the last page'),
});

export const runStartedResponse = z.object({
  runId: z.string(),
  streamId: z.string(),
  status: z.literal('running'),
  statusUrl: z.string(),
});
export const adHocRunStartedResponse = z.object({
  runId: z.string(),
  status: z.literal('running'),
  statusUrl: z.string(),
});
export const runCancellingResponse = z.object({
  runId: z.string(),
  status: z.literal('cancelling'),
  statusUrl: z.string(),
});

export const runProgressSchema = z.object({
  phase: z.enum(runPhases),
  counts: runCountsSchema,
  attempt: z.number(),
  lastError: z.string().nullable(),
});

export const runResponse = z.object({
  id: z.string().describe('the Temporal workflow id'),
  streamId: z.string().nullable(),
  taskType: z.string().nullable(),
  trigger: z.string().nullable(),
  status: z.enum(runStatuses),
  startedAt: isoTime,
  closedAt: isoTime.nullable(),
  progress: runProgressSchema.nullable(),
  result: z
    .object({
      streamId: z.string(),
      taskType: z.string(),
      counts: runCountsSchema,
      attempt: z.number(),
      preview: z
        .array(
          z.object({
            url: z.string(),
            canonicalUrl: z.string(),
            title: z.string().nullable(),
            summary: z.string().nullable(),
            author: z.string().nullable(),
            publishedAt: isoTime.nullable(),
            mediaUrls: z
              .array(z.string())
              .optional()
              .describe("telegram_channel with include_media: the post's media addresses"),
          }),
        )
        .optional()
        .describe('dry runs only: the first items found'),
      publicationPreview: z
        .array(
          z.object({
            itemId: z.number().optional(),
            docId: z.number().optional(),
            url: z.string().nullable(),
            text: z.string().describe('the message as it would be sent (Telegram HTML)'),
          }),
        )
        .optional()
        .describe('dry runs of publishing tasks only: the messages a real run would send'),
      docPreview: z
        .array(z.object({ title: z.string(), text: z.string(), url: z.string().nullable() }))
        .optional()
        .describe('dry runs of news_stream only: the docs the model wrote, not saved'),
      notModified: z.boolean().optional().describe('the source answered 304: nothing new since the last saved run'),
      warnings: z
        .array(z.string())
        .optional()
        .describe(
          'parts of the run that were skipped without failing it, e.g. one channel of many that could not be read',
        ),
    })
    .nullable(),
  error: z.object({ type: z.string().nullable(), message: z.string() }).nullable(),
});

export const runPageResponse = z.object({
  runs: z.array(
    z.object({
      id: z.string(),
      status: z.enum(runStatuses),
      trigger: z.string().nullable(),
      startedAt: isoTime.nullable(),
      closedAt: isoTime.nullable(),
      counts: runCountsSchema.nullable(),
      attempt: z.number().nullable(),
      error: z.string().nullable(),
    }),
  ),
  nextCursor: z.string().nullable(),
});

export const itemResponse = z.object({
  id: z.number(),
  url: z.string(),
  canonicalUrl: z.string(),
  title: z.string().nullable(),
  summary: z.string().nullable(),
  text: z.string().nullable().describe('the article text, for tasks that extract it'),
  mediaUrls: z
    .array(z.string())
    .describe(
      'addresses of the photos, videos and files of the item (telegram_channel with include_media); empty when none',
    ),
  author: z.string().nullable(),
  publishedAt: isoTime.nullable(),
  imageUrl: z
    .string()
    .nullable()
    .describe(
      "the article's lead picture (og:image, twitter:image, JSON-LD image, else its first large picture), an absolute http(s) address; null when the task does not read article pages or the page names none",
    ),
  language: z
    .string()
    .nullable()
    .describe(
      "the article's language as a short BCP 47 tag (`en`, `pt-BR`), from <html lang>, JSON-LD inLanguage, Content-Language or og:locale; null when unknown",
    ),
  firstSeenAt: isoTime,
  sourceId: z.string(),
  streamId: z.string(),
  runId: z.string(),
});

export const itemSearchResponse = z.object({
  items: z.array(itemResponse),
  nextCursor: z.string().nullable().describe('pass as cursor for the next page'),
});

export const publicationResponse = z.object({
  id: z.number(),
  itemId: z.number().nullable().describe('the item published, for telegram_publish'),
  docId: z.number().nullable().describe('the doc published, for doc_publisher'),
  url: z.string().nullable().describe("the item's or doc's URL"),
  title: z.string().nullable(),
  channel: z.string(),
  status: z
    .enum(publicationStatuses)
    .describe('sending: in flight; sent; refused by the channel; unknown: the send was interrupted, check the channel'),
  externalId: z.string().nullable().describe("the channel's message id"),
  error: z.string().nullable(),
  publishedAt: isoTime,
  streamId: z.string(),
  runId: z.string(),
});

export const publicationSearchResponse = z.object({
  publications: z.array(publicationResponse),
  nextCursor: z.string().nullable().describe('pass as cursor for the next page'),
});

export const mediaResponse = z.object({
  id: z.string(),
  name: z.string(),
  sourceIds: z.array(z.string()),
  styleExamples: z.array(z.string()),
  createdAt: isoTime,
  updatedAt: isoTime,
});
export const mediaListResponse = z.object({
  media: z.array(mediaResponse),
  nextCursor: z.string().nullable().describe('pass as cursor for the next page; null on the last page'),
});

export const docResponse = z.object({
  id: z.number(),
  mediaId: z.string(),
  title: z.string(),
  text: z.string(),
  url: z.string().nullable(),
  status: z
    .enum(docStatuses)
    .describe('new: written; edit: being edited; publish: published; failed: a channel refused it'),
  googleDocUrl: z.string().nullable(),
  streamId: z.string(),
  runId: z.string(),
  createdAt: isoTime,
  updatedAt: isoTime,
  publishedAt: isoTime.nullable(),
});
export const docSearchResponse = z.object({
  docs: z.array(docResponse),
  nextCursor: z.string().nullable().describe('pass as cursor for the next page'),
});

export const sourceResponse = z.object({
  id: z.string(),
  name: z.string(),
  url: z.string().nullable(),
  createdAt: isoTime,
});
export const sourceListResponse = z.object({
  sources: z.array(sourceResponse),
  nextCursor: z.string().nullable().describe('pass as cursor for the next page; null on the last page'),
});

export const itemListResponse = itemSearchResponse;

export const taskCatalogueResponse = z.object({
  tasks: z.array(
    z.object({
      type: z.string(),
      title: z.string(),
      description: z.string(),
      produces: z.string(),
      configSchema: z.record(z.string(), z.unknown()).describe('JSON Schema of the config'),
      example: z.record(z.string(), z.unknown()),
      defaults: z.record(z.string(), z.unknown()),
    }),
  ),
});

export const healthResponse = z.object({ status: z.literal('ok') });
export const readinessResponse = z.object({
  status: z.enum(['ready', 'not_ready']),
  checks: z.object({ database: z.string(), temporal: z.string() }).describe('"ok" or why the check failed'),
});

const fireOutcomes = ['started', 'skipped_overlap', 'missed', 'not_due_paused', 'pending', 'unknown'] as const;

export const fireLedgerResponse = z.object({
  streamId: z.string(),
  scheduleId: z.string(),
  since: isoTime,
  until: isoTime,
  summary: z.record(z.enum(fireOutcomes), z.number()).describe('fires by what became of them'),
  fires: z.array(
    z.object({
      at: isoTime.describe('when the schedule should have fired'),
      outcome: z
        .enum(fireOutcomes)
        .describe(
          'started (runId); skipped_overlap (runningRunId: the run still going); missed (Temporal could not fire, past the catch-up window); not_due_paused (paused or quarantined then); pending (just due); unknown (older than the namespace retention)',
        ),
      runId: z.string().optional(),
      runStatus: z.string().optional(),
      runningRunId: z.string().optional(),
      explanation: z.string(),
    }),
  ),
  schedule: z
    .object({
      exists: z.boolean(),
      paused: z.boolean(),
      note: z.string().nullable(),
      overlapPolicy: z.string().nullable(),
      catchupWindow: z.string(),
      createdAt: isoTime.nullable(),
      actionsTaken: z.number().nullable(),
      skippedOverlap: z.number().nullable(),
      missedCatchupWindow: z.number().nullable(),
      nextFires: z.array(isoTime),
    })
    .describe("Temporal's own counters for the schedule's whole life, to cross-check the ledger"),
});

const itemEvent = z.object({
  at: isoTime,
  kind: z.enum(['first_seen', 'enriched', 'enrich_skipped', 'publish_claimed', 'publish_settled', 'publish_released']),
  runId: z.string(),
  streamId: z.string(),
  attempt: z.number().nullable(),
  detail: z.record(z.string(), z.unknown()).nullable(),
});

export const itemLineageResponse = z.object({
  item: z.object({ id: z.number(), url: z.string(), title: z.string().nullable(), firstSeenAt: isoTime }),
  source: z.object({ id: z.string(), name: z.string().nullable() }),
  stream: z.object({ id: z.string(), name: z.string().nullable(), taskType: z.string().nullable() }),
  firstSeen: z
    .object({ runId: z.string(), streamId: z.string(), attempt: z.number().nullable(), at: isoTime })
    .describe('the run (and the attempt of its collection activity) that first saw the item'),
  duplicates: z
    .object({
      count: z.number(),
      firstRunId: z.string().nullable(),
      lastRunId: z.string().nullable(),
      lastAt: isoTime.nullable(),
    })
    .describe('later runs that saw it again, counted as duplicates'),
  parseNow: z.object({
    outcome: z.enum(['enriched', 'skipped', 'not_requested', 'not_read_yet']),
    at: isoTime.nullable(),
    reason: z.string().nullable(),
  }),
  publications: z.array(
    z.object({
      id: z.number(),
      channel: z.string(),
      status: z.enum(['sending', 'sent', 'refused', 'unknown']),
      error: z.string().nullable(),
      externalId: z.string().nullable(),
      at: isoTime,
      streamId: z.string(),
      runId: z.string(),
    }),
  ),
  publishing: z
    .array(
      z.object({
        streamId: z.string(),
        streamName: z.string(),
        channel: z.string(),
        reason: z.enum([
          'posted',
          'sending',
          'refused',
          'unknown',
          'not_in_sources',
          'outside_window',
          'beyond_batch',
          'waiting_for_run',
        ]),
        explanation: z.string(),
        publicationId: z.number().nullable(),
        error: z.string().nullable(),
      }),
    )
    .describe('per publishing stream of items: whether it posted the item, and if not, why'),
  events: z.array(itemEvent),
});

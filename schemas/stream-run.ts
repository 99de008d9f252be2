import { z } from 'zod';
import type { GeneratedDoc } from './docs.js';
import type { PublicationPreview } from './publishing.js';
import { runPolicySchema } from './run-policy.js';

/**
 * What starts a run; recorded as a search attribute so the Temporal UI can filter by it. `probe`: the
 * slow schedule of a quarantined stream (src/health/), whose success lets the stream out.
 */
export const runTriggers = ['manual', 'schedule', 'probe'] as const;
export type RunTrigger = (typeof runTriggers)[number];

/** The workflow's own input. Validated inside the workflow too: a schedule or a CLI can start it. */
export const streamRunInputSchema = z.object({
  streamId: z.string().min(1),
  streamName: z.string().min(1),
  sourceId: z.string().min(1),
  taskType: z.string().min(1),
  config: z.unknown(),
  trigger: z.enum(runTriggers).default('manual'),
  /** The stream's overrides of the task's timeouts and retry policy. */
  runPolicy: runPolicySchema.optional(),
  /** Collect only: nothing is saved and the stream's last run is not touched; the items come back as a preview. */
  dryRun: z.boolean().default(false),
});

export type StreamRunInput = z.input<typeof streamRunInputSchema>;

/** One link or article found by a collection task, before it is saved. */
export interface CollectedItem {
  url: string;
  canonicalUrl: string;
  title: string | null;
  summary: string | null;
  /** The article's full text, when the task extracts it. */
  text?: string | null;
  /** Absolute addresses of the item's photos, videos and files, when the task collects them. */
  mediaUrls?: string[];
  author: string | null;
  /** ISO 8601, or null when the source gives no usable date. */
  publishedAt: string | null;
  /** The article's lead picture (absolute http(s) address), when the task reads the article's page. */
  imageUrl?: string | null;
  /** The article's language as a short BCP 47 tag (`en`, `pt-BR`), when the task reads the article's page. */
  language?: string | null;
}

/** What a server said about a document, to ask "changed since?" next time (conditional GET). */
export interface HttpValidator {
  url: string;
  etag: string | null;
  lastModified: string | null;
}

/** What the workflow tells a collection activity besides its config. */
export interface CollectionContext {
  sourceId: string;
  /** Dry runs fetch everything and remember nothing. */
  dryRun: boolean;
  /** For tasks that save as they go (see CollectionOutput.saved): the run and stream the rows belong to. */
  runId?: string;
  streamId?: string;
}

/**
 * What the workflow tells a writing or publishing activity besides its config. Dry runs write or
 * format, and neither save nor send.
 */
export interface TaskRunContext {
  runId: string;
  streamId: string;
  dryRun: boolean;
}

/** What a collection activity hands back to the workflow. */
export interface CollectionOutput {
  items: CollectedItem[];
  /** The source answered 304 Not Modified: nothing new since the last saved run. */
  notModified?: boolean;
  /** Saved with the items, in the same transaction, so a failed save never hides items behind a 304. */
  validators?: HttpValidator[];
  /** Entries the source offered before `max_items` and filtering. */
  found: number;
  /**
   * Items collected, when `items` holds only a dry run's preview of them (see DRY_RUN_PREVIEW_LIMIT and
   * DRY_RUN_PREVIEW_MAX_BYTES); absent when `items` is everything (older workers) or `saved` counts it.
   */
  collected?: number;
  /** Which attempt of the activity produced this output (1 = first try). */
  attempt: number;
  /**
   * Set when the activity saved what it collected itself, so no item travels through the workflow's
   * history: every registered collection activity does (activities/tasks/save-as-collected.ts), and
   * telegram_bulk_parser saves each channel as it goes. `items` is then empty. Outputs without it come
   * from workers of before the change: the workflow then saves `items` with the saveItems activity.
   */
  saved?: { collected: number; new: number; duplicate: number };
  /** What went wrong without failing the run, e.g. one channel of many that could not be read. */
  warnings?: string[];
}

export interface SaveItemsInput {
  runId: string;
  streamId: string;
  sourceId: string;
  items: CollectedItem[];
  validators?: HttpValidator[];
  /** The collection activity's attempt that saves (1 = first try), kept in the items' lineage. */
  attempt?: number;
}

export interface SaveItemsResult {
  new: number;
  duplicate: number;
}

export interface RunCounts {
  found: number;
  collected: number;
  new: number;
  duplicate: number;
  /** With parse_now: new items whose article text was fetched and stored. */
  enriched?: number;
  /** Publishing tasks (where `found` counts the items due): messages the channel accepted, refused, or whose outcome was lost. */
  published?: number;
  refused?: number;
  unknown?: number;
}

/** parse_now's step: the run's new items still without text, at most `max`, fetched and read. */
export interface EnrichItemsInput {
  runId: string;
  max: number;
  respectRobots: boolean;
}

export interface EnrichItemsResult {
  enriched: number;
  /** Links that could not be read (gone, not an article, refused); they keep what the listing gave. */
  skipped: number;
}

export const runPhases = [
  'validating',
  'collecting',
  'saving',
  'enriching',
  'writing',
  'publishing',
  'recording',
  'completed',
  'failed',
  'cancelled',
] as const;
export type RunPhase = (typeof runPhases)[number];

/** Answered by the workflow's `progress` query at any moment of the run. */
export interface RunProgress {
  phase: RunPhase;
  counts: RunCounts;
  /** Attempts the collection activity has used so far (0 before it starts). */
  attempt: number;
  lastError: string | null;
}

export interface StreamRunResult {
  streamId: string;
  taskType: string;
  counts: RunCounts;
  /** Attempts the collection activity needed (1 = no retry). */
  attempt: number;
  /** Dry runs only: the first items found, as they would have been saved. */
  preview?: CollectedItem[];
  /** Dry runs of publishing tasks only: the messages as they would have been sent. */
  publicationPreview?: PublicationPreview[];
  /** Dry runs of doc-writing tasks only: the docs as they would have been saved. */
  docPreview?: GeneratedDoc[];
  /** The source answered 304 Not Modified. */
  notModified?: boolean;
  /** Parts of the run that were skipped, e.g. a channel that could not be read. */
  warnings?: string[];
}

/** Most items a dry run hands back; the counts still cover everything found. */
export const DRY_RUN_PREVIEW_LIMIT = 100;

/**
 * Most bytes (serialized) of a dry run's preview, and of the warnings of any run: every activity's result
 * travels through the workflow's history, where Temporal warns at 512 KB and fails a run at 2 MB.
 */
export const DRY_RUN_PREVIEW_MAX_BYTES = 200_000;

/** Longest title, summary or text a preview item shows; the saved item keeps all of it. */
export const PREVIEW_TEXT_MAX_CHARS = 1000;

// Kept where it was for the activities and tests that import it from here; it lives with the failure
// types, which the workflow reads without loading any schema.
export { ATTEMPT_DETAIL_KEY } from './failure-types.js';

export type RunOutcomeStatus = 'completed' | 'failed' | 'cancelled';

export interface RecordRunOutcomeInput {
  streamId: string;
  runId: string;
  status: RunOutcomeStatus;
  counts: RunCounts;
  error: string | null;
  /** The failure's type (schemas/failure-types.ts) when it failed: permanent ones quarantine sooner. Absent from runs of older workflows. */
  failureType?: string | null;
  /** What started the run: a failed probe backs the probe interval off, other failures do not. */
  trigger?: RunTrigger;
}

export const emptyCounts = (): RunCounts => ({ found: 0, collected: 0, new: 0, duplicate: 0 });

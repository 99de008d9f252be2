import type { DocStatusName } from '../../schemas/docs.js';
import type { Generated } from 'kysely';

/** Table shapes as Kysely sees them. Timestamps are ISO 8601 strings; JSON columns hold text. */
export interface DatabaseSchema {
  sources: SourcesTable;
  streams: StreamsTable;
  items: ItemsTable;
  publications: PublicationsTable;
  http_validators: HttpValidatorsTable;
  media: MediaTable;
  media_sources: MediaSourcesTable;
  docs: DocsTable;
  health_checks: HealthChecksTable;
  idempotency_keys: IdempotencyKeysTable;
  stream_events: StreamEventsTable;
  item_events: ItemEventsTable;
  active_runs: ActiveRunsTable;
}

/** Written by /readyz to prove the database takes writes; one row per probing process. */
export interface HealthChecksTable {
  id: string;
  checked_at: string;
}

/** A run of a stream that is going (or was, until its outcome is recorded or a check finds it closed). */
export interface ActiveRunsTable {
  stream_id: string;
  run_id: string;
  claimed_at: string;
}

/** A client's Idempotency-Key on starting a run, and the run it started (kept 24 hours). */
export interface IdempotencyKeysTable {
  /** What the key is for: `stream:<id>`, or `adhoc` for POST /runs. */
  scope: string;
  /** SHA-256 of the key, hex. */
  key_digest: string;
  run_id: string;
  created_at: string;
}

export interface SourcesTable {
  id: string;
  name: string;
  url: string | null;
  created_at: string;
}

export type StreamStatus = 'active' | 'paused';

export interface StreamsTable {
  id: string;
  name: string;
  task_type: string;
  /** The config as validated and normalised by the task's schema (defaults applied), as JSON. */
  config: string;
  source_id: string;
  /** RunPolicy as JSON, or null for the task's defaults. */
  run_policy: string | null;
  /** Frequency as JSON (a preset string or {cron, timezone}), or null: runs only by hand. */
  frequency: string | null;
  overlap_policy: string;
  pause_note: string | null;
  status: StreamStatus;
  created_at: string;
  updated_at: string;
  last_run_id: string | null;
  last_run_status: string | null;
  last_run_at: string | null;
  /** RunCounts as JSON. */
  last_run_counts: string | null;
  last_run_error: string | null;
  /** Whether the stream's Temporal Schedule matches it (`ok`) or could not be made to (`error`, with schedule_error). */
  schedule_status: ScheduleStatus;
  schedule_error: string | null;
  /** See src/health/stream-health.ts: healthy, degraded (failing, below the threshold) or quarantined. */
  health: StreamHealthState;
  consecutive_failures: number;
  /** The last failed run's error and failure type, kept until a run succeeds. */
  health_error: string | null;
  health_error_type: string | null;
  /** The run whose outcome health last counted: a retried recordRunOutcome never counts twice. */
  health_run_id: string | null;
  quarantined_at: string | null;
  /** While quarantined: the probe schedule's interval now (it doubles after each failed probe, up to a cap). */
  probe_interval_seconds: number | null;
  next_probe_at: string | null;
}

export type StreamHealthState = 'healthy' | 'degraded' | 'quarantined';

/** What happened to a stream's running state, for the ledger of fires: paused, resumed, quarantined, released. */
export interface StreamEventsTable {
  id: Generated<number>;
  stream_id: string;
  at: string;
  kind: StreamEventKind;
  note: string | null;
}

export type StreamEventKind = 'paused' | 'resumed' | 'quarantined' | 'released';

/** One thing that happened to an item (src/db/item-events.ts). */
export interface ItemEventsTable {
  id: Generated<number>;
  item_id: number;
  at: string;
  kind: ItemEventKind;
  run_id: string;
  stream_id: string;
  /** The activity attempt that did it, when known. */
  attempt: number | null;
  /** JSON: the channel and error of a publication, why parse_now skipped a page. */
  detail: string | null;
}

export type ItemEventKind =
  'first_seen' | 'enriched' | 'enrich_skipped' | 'publish_claimed' | 'publish_settled' | 'publish_released';

export type ScheduleStatus = 'ok' | 'error';

export interface ItemsTable {
  id: Generated<number>;
  source_id: string;
  canonical_url: string;
  url: string;
  title: string | null;
  summary: string | null;
  /** The article's text, when a task extracted it. */
  text: string | null;
  /** The item's media addresses as a JSON array of strings, or null when it has none. */
  media_urls: string | null;
  author: string | null;
  published_at: string | null;
  /** The article's lead picture, an absolute http(s) address, when a task read the article's page. */
  image_url: string | null;
  /** The article's language, a short BCP 47 tag (`en`, `pt-BR`), when a task read the article's page. */
  language: string | null;
  first_seen_at: string;
  /** The stream and run that first found the item. */
  stream_id: string;
  run_id: string;
  /** Later runs that found it again (duplicates): how many, the first and the last. */
  seen_again_count: Generated<number>;
  seen_again_first_run_id: string | null;
  seen_again_last_run_id: string | null;
  seen_again_last_at: string | null;
}

export interface PublicationsTable {
  id: Generated<number>;
  /** What was published: an item, or a doc (exactly one of the two). */
  item_id: number | null;
  doc_id: number | null;
  /** Where it went, e.g. `telegram:@channel`. */
  channel: string;
  stream_id: string;
  run_id: string;
  /** The channel's id for the message, when it gives one. */
  external_id: string | null;
  /** When it was sent; while `sending`, when it was claimed. */
  published_at: string;
  status: PublicationStatus;
  /** Why the channel refused it, or why its outcome is unknown. */
  error: string | null;
}

/**
 * `sending`: claimed, the message may be on its way. `sent`: the channel accepted it. `refused`: the
 * channel rejected this message (it would again). `unknown`: the send started but its answer was lost
 * (a crash, a timeout); never re-sent automatically, because a duplicate post cannot be taken back.
 */
export type PublicationStatus = 'sending' | 'sent' | 'refused' | 'unknown';

export interface HttpValidatorsTable {
  source_id: string;
  url: string;
  etag: string | null;
  last_modified: string | null;
  updated_at: string;
}

/** An outlet: the sources its news come from and the examples of its style that news_stream follows. */
export interface MediaTable {
  id: string;
  name: string;
  /** JSON array of strings. */
  style_examples: string;
  created_at: string;
  updated_at: string;
}

export interface MediaSourcesTable {
  media_id: string;
  source_id: string;
}

/**
 * `new`: written, not yet published. `edit`: being edited (e.g. copied to a Google Doc). `publish`:
 * published. `failed`: a channel refused it.
 */
export type DocStatus = DocStatusName;

/** A text written for a medium (by news_stream), then edited and published. */
export interface DocsTable {
  id: Generated<number>;
  media_id: string;
  title: string;
  text: string;
  /** The main link the doc is about, when it has one. */
  url: string | null;
  status: DocStatus;
  google_doc_url: string | null;
  /** The google_doc_creator run making the doc's Google Doc, and since when (a claim goes stale). */
  google_claim_run_id: string | null;
  google_claimed_at: string | null;
  stream_id: string;
  run_id: string;
  position: number;
  created_at: string;
  updated_at: string;
  published_at: string | null;
}

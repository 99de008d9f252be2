import { telegramChannelKey } from '../../activities/telegram/channel-publisher.js';
import type { Database } from './database.js';
import type { ItemEventKind, PublicationStatus } from './schema.js';
import { findStream, type Stream } from './streams-repository.js';

/** Publishing tasks that post collected items (the others post docs). */
const ITEM_PUBLISHING_TASKS = ['telegram_publish'];
/** Publishing streams asked about per item; an installation has a handful, the cap keeps one call cheap. */
const MAX_PUBLISHING_STREAMS = 200;

export interface ItemEventView {
  at: string;
  kind: ItemEventKind;
  runId: string;
  streamId: string;
  attempt: number | null;
  detail: Record<string, unknown> | null;
}

/**
 * Why a publishing stream did (or did not) post the item. `posted`, `sending`, `refused` (the channel's
 * error), `unknown` (the send's answer was lost: a person resolves it), `not_in_sources`,
 * `outside_window` (first seen longer ago than the stream's window: it will not be posted),
 * `beyond_batch` (in the window, and a run since it was seen posted its batch without it: a later run
 * will), `waiting_for_run` (in the window, no run since it was seen).
 */
export type PublishingReason =
  | 'posted'
  | 'sending'
  | 'refused'
  | 'unknown'
  | 'not_in_sources'
  | 'outside_window'
  | 'beyond_batch'
  | 'waiting_for_run';

export interface PublishingVerdict {
  streamId: string;
  streamName: string;
  channel: string;
  reason: PublishingReason;
  explanation: string;
  publicationId: number | null;
  error: string | null;
}

export interface ItemLineage {
  item: { id: number; url: string; title: string | null; firstSeenAt: string };
  source: { id: string; name: string | null };
  stream: { id: string; name: string | null; taskType: string | null };
  firstSeen: { runId: string; streamId: string; attempt: number | null; at: string };
  duplicates: { count: number; firstRunId: string | null; lastRunId: string | null; lastAt: string | null };
  parseNow: {
    outcome: 'enriched' | 'skipped' | 'not_requested' | 'not_read_yet';
    at: string | null;
    reason: string | null;
  };
  publications: {
    id: number;
    channel: string;
    status: PublicationStatus;
    error: string | null;
    externalId: string | null;
    at: string;
    streamId: string;
    runId: string;
  }[];
  publishing: PublishingVerdict[];
  events: ItemEventView[];
}

/** Everything known about one item's way through NewLoom: a handful of indexed reads. */
export async function itemLineage(db: Database, itemId: number, now = new Date()): Promise<ItemLineage | undefined> {
  const item = await db.selectFrom('items').selectAll().where('id', '=', itemId).executeTakeFirst();
  if (!item) return undefined;
  const [source, stream, eventRows, publicationRows, publishingRows] = await Promise.all([
    db.selectFrom('sources').select(['id', 'name']).where('id', '=', item.source_id).executeTakeFirst(),
    findStream(db, item.stream_id),
    db.selectFrom('item_events').selectAll().where('item_id', '=', itemId).orderBy('id').execute(),
    db.selectFrom('publications').selectAll().where('item_id', '=', itemId).orderBy('id').execute(),
    db
      .selectFrom('streams')
      .select('id')
      .where('task_type', 'in', ITEM_PUBLISHING_TASKS)
      .orderBy('id')
      .limit(MAX_PUBLISHING_STREAMS)
      .execute(),
  ]);
  const events: ItemEventView[] = eventRows.map((row) => ({
    at: row.at,
    kind: row.kind,
    runId: row.run_id,
    streamId: row.stream_id,
    attempt: row.attempt,
    detail: row.detail ? (JSON.parse(row.detail) as Record<string, unknown>) : null,
  }));
  const firstSeenEvent = events.find((event) => event.kind === 'first_seen');
  const publications = publicationRows.map((row) => ({
    id: row.id,
    channel: row.channel,
    status: row.status,
    error: row.error,
    externalId: row.external_id,
    at: row.published_at,
    streamId: row.stream_id,
    runId: row.run_id,
  }));
  const publishingStreams = (await Promise.all(publishingRows.map((row) => findStream(db, row.id)))).filter(
    (candidate): candidate is Stream => candidate !== undefined,
  );
  return {
    item: { id: item.id, url: item.url, title: item.title, firstSeenAt: item.first_seen_at },
    source: { id: item.source_id, name: source?.name ?? null },
    stream: { id: item.stream_id, name: stream?.name ?? null, taskType: stream?.taskType ?? null },
    firstSeen: {
      runId: item.run_id,
      streamId: item.stream_id,
      attempt: firstSeenEvent?.attempt ?? null,
      at: item.first_seen_at,
    },
    duplicates: {
      count: item.seen_again_count,
      firstRunId: item.seen_again_first_run_id,
      lastRunId: item.seen_again_last_run_id,
      lastAt: item.seen_again_last_at,
    },
    parseNow: parseNowOutcome(events, stream),
    publications,
    publishing: publishingStreams.map((publisher) =>
      publishingVerdict(publisher, { sourceId: item.source_id, firstSeenAt: item.first_seen_at }, publications, now),
    ),
    events,
  };
}

function parseNowOutcome(events: ItemEventView[], stream: Stream | undefined): ItemLineage['parseNow'] {
  const last = [...events].reverse().find((event) => event.kind === 'enriched' || event.kind === 'enrich_skipped');
  if (last?.kind === 'enriched') return { outcome: 'enriched', at: last.at, reason: null };
  const reason = last?.detail?.['reason'];
  if (last) return { outcome: 'skipped', at: last.at, reason: typeof reason === 'string' ? reason : null };
  const config = stream?.config as { parse_now?: unknown } | undefined;
  return config?.parse_now === true
    ? {
        outcome: 'not_read_yet',
        at: null,
        reason: 'parse_now is on; the page was not read (beyond parse_now_max, or the run was still going)',
      }
    : { outcome: 'not_requested', at: null, reason: null };
}

interface PublishConfig {
  channel_id: string;
  sources: string[];
  batch_size?: number;
  time_window_minutes?: number;
}

/** Why this publishing stream did or did not post the item (see PublishingReason). */
export function publishingVerdict(
  publisher: Stream,
  item: { sourceId: string; firstSeenAt: string },
  publications: ItemLineage['publications'],
  now: Date,
): PublishingVerdict {
  const config = publisher.config as PublishConfig;
  const channel = telegramChannelKey(config.channel_id);
  const base = { streamId: publisher.id, streamName: publisher.name, channel, publicationId: null, error: null };
  const publication = publications.find((candidate) => candidate.channel === channel);
  if (publication) {
    const by = publication.streamId === publisher.id ? 'this stream' : `stream ${publication.streamId}`;
    const withPublication = { ...base, publicationId: publication.id, error: publication.error };
    switch (publication.status) {
      case 'sent':
        return {
          ...withPublication,
          reason: 'posted',
          explanation: `posted to ${channel} by ${by} at ${publication.at}`,
        };
      case 'sending':
        return { ...withPublication, reason: 'sending', explanation: `${by} is sending it to ${channel} now` };
      case 'refused':
        return {
          ...withPublication,
          reason: 'refused',
          explanation: `${channel} refused it (${publication.error ?? 'no reason given'}); it is not tried again`,
        };
      case 'unknown':
        return {
          ...withPublication,
          reason: 'unknown',
          explanation: `the send's answer was lost (${publication.error ?? 'no reason recorded'}); a person checks the channel and resolves publication ${publication.id} (POST /publications/${publication.id}/resolve)`,
        };
    }
  }
  if (!config.sources.includes(item.sourceId))
    return {
      ...base,
      reason: 'not_in_sources',
      explanation: `source ${item.sourceId} is not among the stream's sources (${config.sources.join(', ')})`,
    };
  const windowMinutes = config.time_window_minutes ?? 60;
  const windowEnds = new Date(Date.parse(item.firstSeenAt) + windowMinutes * 60_000);
  if (now > windowEnds)
    return {
      ...base,
      reason: 'outside_window',
      explanation: `first seen at ${item.firstSeenAt}, more than the stream's ${windowMinutes}-minute window ago (it left the window at ${windowEnds.toISOString()}); it will not be posted`,
    };
  const ranSince = publisher.lastRun && publisher.lastRun.at >= item.firstSeenAt ? publisher.lastRun : null;
  const stopped =
    publisher.status === 'paused'
      ? ' The stream is paused.'
      : publisher.health.state === 'quarantined'
        ? ' The stream is quarantined.'
        : '';
  if (ranSince)
    return {
      ...base,
      reason: 'beyond_batch',
      explanation: `run ${ranSince.runId} (${ranSince.status}) came after it was seen and did not post it: older items filled its batch of ${config.batch_size ?? 10}; a later run within the window (until ${windowEnds.toISOString()}) will.${stopped}`,
    };
  return {
    ...base,
    reason: 'waiting_for_run',
    explanation: `no run of the stream since it was seen; the next one within the window (until ${windowEnds.toISOString()}) posts it.${stopped}`,
  };
}

import type { Kysely, Selectable } from 'kysely';
import type { Database } from './database.js';
import { setDocOutcome } from './docs-repository.js';
import type { DatabaseSchema, PublicationStatus, PublicationsTable } from './schema.js';
import { idCursorPage } from './id-cursor-page.js';
import { recordItemEvent } from './item-events.js';

import type { ItemToPublish, PublicationClaim, PublicationCounts, PublicationSubject } from '../../activities/ports.js';
export type { ItemToPublish, PublicationClaim, PublicationCounts, PublicationSubject } from '../../activities/ports.js';

/**
 * Items of the sources first seen since `since`, with no publication row for the channel (sent,
 * refused, unknown or being sent), oldest first so a backlog goes out in the order it arrived.
 */
export async function findItemsToPublish(
  db: Database,
  query: { sourceIds: readonly string[]; channel: string; since: string; limit: number },
): Promise<ItemToPublish[]> {
  if (query.sourceIds.length === 0) return [];
  return db
    .selectFrom('items')
    .select(['id', 'url', 'title', 'summary', 'text'])
    .where('source_id', 'in', [...query.sourceIds])
    .where('first_seen_at', '>=', query.since)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('publications')
            .select('publications.id')
            .whereRef('publications.item_id', '=', 'items.id')
            .where('publications.channel', '=', query.channel),
        ),
      ),
    )
    .orderBy('first_seen_at')
    .orderBy('id')
    .limit(query.limit)
    .execute();
}

/**
 * Claims an item for the channel before its message is sent. The unique (item, channel) key makes
 * this the one place two runs can race: the loser gets false and skips the item.
 */
export async function claimPublication(db: Database, claim: PublicationClaim): Promise<boolean> {
  const [column, id] = subjectKey(claim.subject);
  return db.transaction().execute(async (tx) => {
    const result = await tx
      .insertInto('publications')
      .values({
        item_id: column === 'item_id' ? id : null,
        doc_id: column === 'doc_id' ? id : null,
        channel: claim.channel,
        stream_id: claim.streamId,
        run_id: claim.runId,
        status: 'sending',
        error: null,
        external_id: null,
        published_at: new Date().toISOString(),
      })
      .onConflict((conflict) => conflict.columns([column, 'channel']).doNothing())
      .executeTakeFirst();
    const claimed = Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
    if (claimed && column === 'item_id')
      await recordItemEvent(tx, {
        itemId: id,
        kind: 'publish_claimed',
        runId: claim.runId,
        streamId: claim.streamId,
        detail: { channel: claim.channel },
      });
    return claimed;
  });
}

/**
 * Records how a claimed send ended. A doc's status follows in the same transaction (sent → publish,
 * refused → failed), so a crash between the two can never leave a sent doc looking unpublished.
 */
export async function settlePublication(
  db: Database,
  claim: Pick<PublicationClaim, 'subject' | 'channel'>,
  outcome: { status: 'sent'; externalId: string } | { status: 'refused' | 'unknown'; error: string },
): Promise<void> {
  const [column, id] = subjectKey(claim.subject);
  const now = new Date().toISOString();
  await db.transaction().execute(async (tx) => {
    const settled = await tx
      .updateTable('publications')
      .set({
        status: outcome.status,
        external_id: outcome.status === 'sent' ? outcome.externalId : null,
        error: outcome.status === 'sent' ? null : outcome.error,
        published_at: now,
      })
      .where(column, '=', id)
      .where('channel', '=', claim.channel)
      .where('status', '=', 'sending')
      .executeTakeFirst();
    // A claim already marked unknown by a later attempt stays unknown, and so does its doc.
    if (Number(settled.numUpdatedRows) > 0 && 'docId' in claim.subject && outcome.status !== 'unknown') {
      await setDocOutcome(tx, claim.subject.docId, outcome.status === 'sent' ? 'publish' : 'failed');
    }
    if (Number(settled.numUpdatedRows) > 0 && 'itemId' in claim.subject)
      await recordPublicationEvent(tx, claim.subject.itemId, claim.channel, {
        status: outcome.status,
        ...(outcome.status === 'sent' ? { externalId: outcome.externalId } : { error: outcome.error }),
      });
  });
}

/** Gives a claim back when the message certainly did not leave, so a later attempt sends it. */
export async function releasePublication(
  db: Database,
  claim: Pick<PublicationClaim, 'subject' | 'channel' | 'runId'>,
): Promise<void> {
  const [column, id] = subjectKey(claim.subject);
  await db.transaction().execute(async (tx) => {
    const released = await tx
      .deleteFrom('publications')
      .where(column, '=', id)
      .where('channel', '=', claim.channel)
      .where('run_id', '=', claim.runId)
      .where('status', '=', 'sending')
      .returning('stream_id')
      .executeTakeFirst();
    if (released && column === 'item_id')
      await recordItemEvent(tx, {
        itemId: id,
        kind: 'publish_released',
        runId: claim.runId,
        streamId: released.stream_id,
        detail: { channel: claim.channel, note: 'the message certainly did not leave; a later attempt sends it' },
      });
  });
}

/**
 * Claims left `sending` by an attempt that died mid-send (this run's earlier attempts, or any run's
 * claim older than `staleBefore`) become `unknown`: the message may be in the channel already.
 */
export async function markInterruptedSends(
  db: Database,
  query: { channel: string; runId: string; staleBefore: string },
): Promise<number> {
  return db.transaction().execute(async (tx) => {
    const marked = await tx
      .updateTable('publications')
      .set({
        status: 'unknown',
        error:
          "the send was interrupted (worker stopped or attempt timed out) before Telegram's answer was recorded; check the channel",
      })
      .where('channel', '=', query.channel)
      .where('status', '=', 'sending')
      .where((eb) => eb.or([eb('run_id', '=', query.runId), eb('published_at', '<', query.staleBefore)]))
      .returning(['item_id', 'error'])
      .execute();
    for (const row of marked)
      if (row.item_id !== null)
        await recordPublicationEvent(tx, row.item_id, query.channel, { status: 'unknown', error: row.error });
    return marked.length;
  });
}

/** A settled publication in its item's lineage, under the publication's own run and stream. */
async function recordPublicationEvent(
  tx: Kysely<DatabaseSchema>,
  itemId: number,
  channel: string,
  detail: Record<string, unknown>,
): Promise<void> {
  const publication = await tx
    .selectFrom('publications')
    .select(['run_id', 'stream_id'])
    .where('item_id', '=', itemId)
    .where('channel', '=', channel)
    .executeTakeFirst();
  if (!publication) return;
  await recordItemEvent(tx, {
    itemId,
    kind: 'publish_settled',
    runId: publication.run_id,
    streamId: publication.stream_id,
    detail: { channel, ...detail },
  });
}

/** What a run has published to a channel so far, over all its attempts. */
export async function countRunPublications(db: Database, runId: string, channel: string): Promise<PublicationCounts> {
  const rows = await db
    .selectFrom('publications')
    .select(['status', (eb) => eb.fn.countAll<number>().as('count')])
    .where('run_id', '=', runId)
    .where('channel', '=', channel)
    .groupBy('status')
    .execute();
  const counts: PublicationCounts = { sent: 0, refused: 0, unknown: 0 };
  for (const row of rows) if (row.status !== 'sending') counts[row.status] = Number(row.count);
  return counts;
}

export interface StoredPublication {
  id: number;
  itemId: number | null;
  docId: number | null;
  url: string | null;
  title: string | null;
  channel: string;
  status: PublicationStatus;
  externalId: string | null;
  error: string | null;
  publishedAt: string;
  streamId: string;
  runId: string;
}

export interface PublicationSearch {
  id?: number | undefined;
  streamId?: string | undefined;
  runId?: string | undefined;
  channel?: string | undefined;
  status?: PublicationStatus | undefined;
  limit: number;
  /** Publications with a smaller id than this (the previous page's last), newest first. */
  cursor?: string | undefined;
}

export async function searchPublications(
  db: Kysely<DatabaseSchema>,
  search: PublicationSearch,
): Promise<{ publications: StoredPublication[]; nextCursor: string | null }> {
  let query = db
    .selectFrom('publications')
    .leftJoin('items', 'items.id', 'publications.item_id')
    .leftJoin('docs', 'docs.id', 'publications.doc_id')
    .selectAll('publications')
    .select((eb) => [
      eb.fn.coalesce('items.url', 'docs.url').as('url'),
      eb.fn.coalesce('items.title', 'docs.title').as('title'),
    ]);
  if (search.id !== undefined) query = query.where('publications.id', '=', search.id);
  if (search.streamId) query = query.where('publications.stream_id', '=', search.streamId);
  if (search.runId) query = query.where('publications.run_id', '=', search.runId);
  if (search.channel) query = query.where('publications.channel', '=', search.channel);
  if (search.status) query = query.where('publications.status', '=', search.status);
  if (search.cursor) query = query.where('publications.id', '<', Number(search.cursor));
  const { page, nextCursor } = idCursorPage(
    await query
      .orderBy('publications.id', 'desc')
      .limit(search.limit + 1)
      .execute(),
    search.limit,
    toStoredPublication,
  );
  return { publications: page, nextCursor };
}

function toStoredPublication(
  row: Selectable<PublicationsTable> & { url: string | null; title: string | null },
): StoredPublication {
  return {
    id: row.id,
    itemId: row.item_id,
    docId: row.doc_id,
    url: row.url,
    title: row.title,
    channel: row.channel,
    status: row.status,
    externalId: row.external_id,
    error: row.error,
    publishedAt: row.published_at,
    streamId: row.stream_id,
    runId: row.run_id,
  };
}

function subjectKey(subject: PublicationSubject): ['item_id' | 'doc_id', number] {
  return 'itemId' in subject ? ['item_id', subject.itemId] : ['doc_id', subject.docId];
}

/** Thrown when a publication is not in the state an operator's resolution needs. */
export class PublicationStateError extends Error {
  override readonly name = 'PublicationStateError';
}

/**
 * An operator's answer for an `unknown` publication, after looking at the channel: it was posted
 * (`sent`, and a doc moves to publish), or it was not (`not_sent`: the row goes, so the next run sends
 * the item again while it is still within its stream's window).
 */
export async function resolveUnknownPublication(
  db: Database,
  id: number,
  resolution: { outcome: 'sent' | 'not_sent'; externalId?: string | undefined },
): Promise<{ outcome: 'sent'; publication: StoredPublication } | { outcome: 'not_sent' } | undefined> {
  return db.transaction().execute(async (tx) => {
    const row = await tx.selectFrom('publications').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    if (row.status !== 'unknown')
      throw new PublicationStateError(`publication ${id} is ${row.status}; only an unknown one can be resolved`);
    if (resolution.outcome === 'not_sent') {
      await tx.deleteFrom('publications').where('id', '=', id).execute();
      return { outcome: 'not_sent' as const };
    }
    await tx
      .updateTable('publications')
      .set({ status: 'sent', external_id: resolution.externalId ?? null, error: null })
      .where('id', '=', id)
      .execute();
    if (row.doc_id !== null) await setDocOutcome(tx, row.doc_id, 'publish');
    const [publication] = (await searchPublications(tx, { limit: 1, id })).publications;
    return { outcome: 'sent' as const, publication: publication! };
  });
}

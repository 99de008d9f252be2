import type { Kysely, Selectable, Updateable } from 'kysely';
import type { DocStatusName, SaveDocsInput, SaveDocsResult } from '../../schemas/docs.js';
import {
  MAX_TEXT_LENGTH,
  MAX_TITLE_LENGTH,
  MAX_URL_LENGTH,
  storableText,
  stripInvalidCharacters,
} from '../../schemas/text-limits.js';
import type { Database } from './database.js';
import type { DatabaseSchema, DocsTable } from './schema.js';
import { idCursorPage } from './id-cursor-page.js';

import type { StoredDoc } from '../../activities/ports.js';
export type { StoredDoc } from '../../activities/ports.js';

/** Saves a run's docs; a retried save finds each (run, position) already there and inserts nothing. */
export async function saveDocs(db: Database, input: SaveDocsInput): Promise<SaveDocsResult> {
  const now = new Date().toISOString();
  if (input.docs.length > 0) {
    await db
      .insertInto('docs')
      .values(
        input.docs.map((doc, position) => ({
          media_id: input.mediaId,
          // A model's answer, written from strangers' news: made storable like an item's texts.
          title: storableText(doc.title, MAX_TITLE_LENGTH),
          text: storableText(doc.text, MAX_TEXT_LENGTH),
          url: doc.url && doc.url.length <= MAX_URL_LENGTH ? stripInvalidCharacters(doc.url) : null,
          status: 'new' as const,
          google_doc_url: null,
          google_claim_run_id: null,
          google_claimed_at: null,
          stream_id: input.streamId,
          run_id: input.runId,
          position,
          created_at: now,
          updated_at: now,
          published_at: null,
        })),
      )
      .onConflict((conflict) => conflict.columns(['run_id', 'position']).doNothing())
      .execute();
  }
  const { count } = await db
    .selectFrom('docs')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('run_id', '=', input.runId)
    .executeTakeFirstOrThrow();
  return { new: Number(count) };
}

/** The news a medium's sources collected since `since`, newest first: what news_stream writes from. */
export async function newsForMedia(db: Database, query: { mediaId: string; since: string; limit: number }) {
  return db
    .selectFrom('items')
    .innerJoin('media_sources', 'media_sources.source_id', 'items.source_id')
    .select(['items.id', 'items.url', 'items.title', 'items.summary', 'items.text'])
    .where('media_sources.media_id', '=', query.mediaId)
    .where('items.first_seen_at', '>=', query.since)
    .orderBy('items.first_seen_at', 'desc')
    .orderBy('items.id', 'desc')
    .limit(query.limit)
    .execute();
}

/** A medium's docs in these statuses with no publication on the channel yet, oldest first. */
export async function findDocsToPublish(
  db: Database,
  query: {
    mediaId: string;
    statuses: readonly DocStatusName[];
    channel: string;
    limit: number;
    withGoogleDoc?: boolean | undefined;
  },
): Promise<StoredDoc[]> {
  let select = db.selectFrom('docs');
  if (query.withGoogleDoc) select = select.where('google_doc_url', 'is not', null);
  const rows = await select
    .selectAll()
    .where('media_id', '=', query.mediaId)
    .where('status', 'in', [...query.statuses])
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('publications')
            .select('publications.id')
            .whereRef('publications.doc_id', '=', 'docs.id')
            .where('publications.channel', '=', query.channel),
        ),
      ),
    )
    .orderBy('created_at')
    .orderBy('id')
    .limit(query.limit)
    .execute();
  return rows.map(toStoredDoc);
}

export interface GoogleDocClaimQuery {
  runId: string;
  /** Claims of other runs older than this are over (their attempts ended long ago) and may be taken over. */
  staleBefore: string;
}

/**
 * New docs without a Google Doc yet, oldest first: what google_doc_creator works through. Docs another
 * run claimed lately are left to it.
 */
export async function findDocsForGoogle(
  db: Database,
  query: { mediaId: string; limit: number } & GoogleDocClaimQuery,
): Promise<StoredDoc[]> {
  const rows = await db
    .selectFrom('docs')
    .selectAll()
    .where('media_id', '=', query.mediaId)
    .where('status', '=', 'new')
    .where('google_doc_url', 'is', null)
    .where((eb) =>
      eb.or([
        eb('google_claim_run_id', 'is', null),
        eb('google_claim_run_id', '=', query.runId),
        eb('google_claimed_at', '<', query.staleBefore),
      ]),
    )
    .orderBy('created_at')
    .orderBy('id')
    .limit(query.limit)
    .execute();
  return rows.map(toStoredDoc);
}

/**
 * Claims a doc for this run before its Google Doc is created: one conditional update, so of two runs
 * racing for it exactly one wins (the other gets false and leaves the doc). A run's retried attempt
 * takes its own claim again; a stale claim of another run is taken over (the Drive lookup by the doc's
 * tag then finds whatever that run managed to create).
 */
export async function claimGoogleDoc(db: Database, docId: number, claim: GoogleDocClaimQuery): Promise<boolean> {
  const result = await db
    .updateTable('docs')
    .set({ google_claim_run_id: claim.runId, google_claimed_at: new Date().toISOString() })
    .where('id', '=', docId)
    .where('google_doc_url', 'is', null)
    .where((eb) =>
      eb.or([
        eb('google_claim_run_id', 'is', null),
        eb('google_claim_run_id', '=', claim.runId),
        eb('google_claimed_at', '<', claim.staleBefore),
      ]),
    )
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** How many Google Docs this run has made so far, over all its attempts (batch_size is per run). */
export async function countGoogleDocsMade(db: Database, runId: string): Promise<number> {
  const { count } = await db
    .selectFrom('docs')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('google_claim_run_id', '=', runId)
    .where('google_doc_url', 'is not', null)
    .executeTakeFirstOrThrow();
  return Number(count);
}

/** The doc now lives in a Google Doc, where editors take it over: status edit. */
export async function setGoogleDoc(db: Database, docId: number, url: string): Promise<void> {
  const now = new Date().toISOString();
  await db.transaction().execute(async (tx) => {
    // The link is kept whatever happened to the doc meanwhile (the file exists); only a new doc moves to edit.
    await tx
      .updateTable('docs')
      .set({ google_doc_url: url, updated_at: now })
      .where('id', '=', docId)
      .where('google_doc_url', 'is', null)
      .execute();
    await tx
      .updateTable('docs')
      .set({ status: 'edit', updated_at: now })
      .where('id', '=', docId)
      .where('status', '=', 'new')
      .execute();
  });
}

/**
 * A doc went out (status publish) or a channel refused it (status failed). Only forwards: a published
 * doc stays published when another channel refuses it.
 */
export async function setDocOutcome(
  db: Kysely<DatabaseSchema>,
  docId: number,
  status: 'publish' | 'failed',
): Promise<void> {
  const now = new Date().toISOString();
  await db
    .updateTable('docs')
    .set({ status, updated_at: now, ...(status === 'publish' ? { published_at: now } : {}) })
    .where('id', '=', docId)
    .where('status', 'in', status === 'publish' ? ['new', 'edit', 'failed'] : ['new', 'edit'])
    .execute();
}

export async function findDoc(db: Database, id: number): Promise<StoredDoc | undefined> {
  const row = await db.selectFrom('docs').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toStoredDoc(row);
}

/** Statuses an editor moves a doc back to when it is to go out again. */
const REWORK_STATUSES: readonly DocStatusName[] = ['new', 'edit'];

/**
 * An editor's changes to a doc. A changed title or text, or a move back to new/edit, is the editor's
 * answer to a refusal: the doc's refused publications go in the same transaction, so the next
 * publishing run sends it again. Sent and unknown ones stay (the doc may be in the channel already).
 */
export async function updateDoc(
  db: Database,
  id: number,
  changes: { title?: string | undefined; text?: string | undefined; status?: DocStatusName | undefined },
): Promise<StoredDoc | undefined> {
  return db.transaction().execute(async (tx) => {
    const current = await tx.selectFrom('docs').select(['title', 'text']).where('id', '=', id).executeTakeFirst();
    if (!current) return undefined;
    const set: Updateable<DocsTable> = { updated_at: new Date().toISOString() };
    if (changes.title !== undefined) set.title = changes.title;
    if (changes.text !== undefined) set.text = changes.text;
    if (changes.status !== undefined) set.status = changes.status;
    await tx.updateTable('docs').set(set).where('id', '=', id).execute();
    const reworked =
      (changes.title !== undefined && changes.title !== current.title) ||
      (changes.text !== undefined && changes.text !== current.text) ||
      (changes.status !== undefined && REWORK_STATUSES.includes(changes.status));
    if (reworked)
      await tx.deleteFrom('publications').where('doc_id', '=', id).where('status', '=', 'refused').execute();
    const row = await tx.selectFrom('docs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    return toStoredDoc(row);
  });
}

export interface DocSearch {
  mediaId?: string | undefined;
  streamId?: string | undefined;
  runId?: string | undefined;
  status?: DocStatusName | undefined;
  limit: number;
  cursor?: string | undefined;
}

/** Docs matching every given filter, newest first, a page at a time. */
export async function searchDocs(
  db: Database,
  search: DocSearch,
): Promise<{ docs: StoredDoc[]; nextCursor: string | null }> {
  let query = db.selectFrom('docs').selectAll();
  if (search.mediaId) query = query.where('media_id', '=', search.mediaId);
  if (search.streamId) query = query.where('stream_id', '=', search.streamId);
  if (search.runId) query = query.where('run_id', '=', search.runId);
  if (search.status) query = query.where('status', '=', search.status);
  if (search.cursor) query = query.where('id', '<', Number(search.cursor));
  const { page, nextCursor } = idCursorPage(
    await query
      .orderBy('id', 'desc')
      .limit(search.limit + 1)
      .execute(),
    search.limit,
    toStoredDoc,
  );
  return { docs: page, nextCursor };
}

function toStoredDoc(row: Selectable<DocsTable>): StoredDoc {
  return {
    id: row.id,
    mediaId: row.media_id,
    title: row.title,
    text: row.text,
    url: row.url,
    status: row.status,
    googleDocUrl: row.google_doc_url,
    streamId: row.stream_id,
    runId: row.run_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    publishedAt: row.published_at,
  };
}

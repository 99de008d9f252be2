import { readCreatedKeyPage, type CreatedKey } from './created-cursor.js';
import type { Database } from './database.js';
import { newId } from './ids.js';
import type { MediaTable } from './schema.js';

export interface Media {
  id: string;
  name: string;
  sourceIds: string[];
  styleExamples: string[];
  createdAt: string;
  updatedAt: string;
}

export interface MediaInput {
  name: string;
  sourceIds: string[];
  styleExamples: string[];
}

/** Thrown when a medium's name is taken, or a medium that still has docs is deleted. */
export class MediaConflictError extends Error {
  override readonly name = 'MediaConflictError';
}

export async function insertMedia(db: Database, input: MediaInput): Promise<Media> {
  const now = new Date().toISOString();
  const row: MediaTable = {
    id: newId('med'),
    name: input.name,
    style_examples: JSON.stringify(input.styleExamples),
    created_at: now,
    updated_at: now,
  };
  await db.transaction().execute(async (tx) => {
    const inserted = await tx
      .insertInto('media')
      .values(row)
      .onConflict((conflict) => conflict.column('name').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) throw new MediaConflictError(`a medium named "${input.name}" already exists`);
    if (input.sourceIds.length > 0)
      await tx
        .insertInto('media_sources')
        .values(input.sourceIds.map((sourceId) => ({ media_id: row.id, source_id: sourceId })))
        .execute();
  });
  return (await findMedia(db, row.id))!;
}

export async function findMedia(db: Database, id: string): Promise<Media | undefined> {
  const row = await db.selectFrom('media').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  return toMedia(row, await mediaSourceIds(db, id));
}

/** Media newest first, a page at a time by a (created_at, id) cursor: renames do not move them. */
export async function listMedia(
  db: Database,
  page: { limit: number; after?: CreatedKey | undefined },
): Promise<{ media: Media[]; nextCursor: string | null }> {
  const listed = await readCreatedKeyPage(db.selectFrom('media').selectAll(), page, (row) => row);
  return {
    media: await Promise.all(listed.page.map(async (row) => toMedia(row, await mediaSourceIds(db, row.id)))),
    nextCursor: listed.nextCursor,
  };
}

export async function updateMedia(db: Database, id: string, changes: Partial<MediaInput>): Promise<Media | undefined> {
  await db.transaction().execute(async (tx) => {
    if (changes.name !== undefined) {
      const clash = await tx
        .selectFrom('media')
        .select('id')
        .where('name', '=', changes.name)
        .where('id', '!=', id)
        .executeTakeFirst();
      if (clash) throw new MediaConflictError(`a medium named "${changes.name}" already exists`);
    }
    const set: Partial<MediaTable> = { updated_at: new Date().toISOString() };
    if (changes.name !== undefined) set.name = changes.name;
    if (changes.styleExamples !== undefined) set.style_examples = JSON.stringify(changes.styleExamples);
    await tx.updateTable('media').set(set).where('id', '=', id).execute();
    if (changes.sourceIds !== undefined) {
      await tx.deleteFrom('media_sources').where('media_id', '=', id).execute();
      if (changes.sourceIds.length > 0)
        await tx
          .insertInto('media_sources')
          .values(changes.sourceIds.map((sourceId) => ({ media_id: id, source_id: sourceId })))
          .execute();
    }
  });
  return findMedia(db, id);
}

/** Deletes a medium without docs: its docs are the work of editors and are not dropped along with it. */
export async function deleteMedia(db: Database, id: string): Promise<void> {
  const doc = await db.selectFrom('docs').select('id').where('media_id', '=', id).executeTakeFirst();
  if (doc) throw new MediaConflictError(`medium ${id} still has docs; it cannot be deleted`);
  await db.deleteFrom('media').where('id', '=', id).execute();
}

export async function mediaSourceIds(db: Database, mediaId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('media_sources')
    .select('source_id')
    .where('media_id', '=', mediaId)
    .orderBy('source_id')
    .execute();
  return rows.map((row) => row.source_id);
}

function toMedia(row: MediaTable, sourceIds: string[]): Media {
  const examples: unknown = JSON.parse(row.style_examples);
  return {
    id: row.id,
    name: row.name,
    sourceIds,
    styleExamples: Array.isArray(examples)
      ? examples.filter((example): example is string => typeof example === 'string')
      : [],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

import { readCreatedKeyPage, type CreatedKey } from './created-cursor.js';
import type { Database } from './database.js';
import { newId } from './ids.js';
import type { SourcesTable } from './schema.js';

export interface Source {
  id: string;
  name: string;
  url: string | null;
  createdAt: string;
}

/** Thrown when a source name is taken, or a source still used by streams is deleted. */
export class SourceConflictError extends Error {
  override readonly name = 'SourceConflictError';
}

const toSource = (row: SourcesTable): Source => ({
  id: row.id,
  name: row.name,
  url: row.url,
  createdAt: row.created_at,
});

export async function findSource(db: Database, id: string): Promise<Source | undefined> {
  const row = await db.selectFrom('sources').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toSource(row);
}

export async function insertSource(db: Database, input: { name: string; url?: string | undefined }): Promise<Source> {
  const row: SourcesTable = {
    id: newId('src'),
    name: input.name,
    url: input.url ?? null,
    created_at: new Date().toISOString(),
  };
  const inserted = await db
    .insertInto('sources')
    .values(row)
    .onConflict((conflict) => conflict.column('name').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) throw new SourceConflictError(`a source named "${input.name}" already exists`);
  return toSource(row);
}

/** The source named `name`, created when missing: a stream without an explicit source gets its own. */
export async function ensureSourceNamed(db: Database, name: string): Promise<Source> {
  await db
    .insertInto('sources')
    .values({ id: newId('src'), name, url: null, created_at: new Date().toISOString() })
    .onConflict((conflict) => conflict.column('name').doNothing())
    .execute();
  return toSource(await db.selectFrom('sources').selectAll().where('name', '=', name).executeTakeFirstOrThrow());
}

/** Sources newest first, a page at a time by a (created_at, id) cursor: renames do not move them. */
export async function listSources(
  db: Database,
  page: { limit: number; after?: CreatedKey | undefined },
): Promise<{ sources: Source[]; nextCursor: string | null }> {
  const listed = await readCreatedKeyPage(db.selectFrom('sources').selectAll(), page, toSource);
  return { sources: listed.page, nextCursor: listed.nextCursor };
}

export async function updateSource(
  db: Database,
  id: string,
  changes: { name?: string | undefined; url?: string | null | undefined },
): Promise<Source | undefined> {
  if (changes.name !== undefined) {
    const clash = await db
      .selectFrom('sources')
      .select('id')
      .where('name', '=', changes.name)
      .where('id', '!=', id)
      .executeTakeFirst();
    if (clash) throw new SourceConflictError(`a source named "${changes.name}" already exists`);
  }
  const set: Partial<SourcesTable> = {};
  if (changes.name !== undefined) set.name = changes.name;
  if (changes.url !== undefined) set.url = changes.url;
  if (Object.keys(set).length > 0) await db.updateTable('sources').set(set).where('id', '=', id).execute();
  return findSource(db, id);
}

/** Deletes a source nothing refers to; its streams or items must go first, so nothing is orphaned. */
export async function deleteSource(db: Database, id: string): Promise<void> {
  const [stream, item] = await Promise.all([
    db.selectFrom('streams').select('id').where('source_id', '=', id).executeTakeFirst(),
    db.selectFrom('items').select('id').where('source_id', '=', id).executeTakeFirst(),
  ]);
  if (stream || item)
    throw new SourceConflictError(`source ${id} still has ${stream ? 'streams' : 'items'}; it cannot be deleted`);
  await db.deleteFrom('sources').where('id', '=', id).execute();
}

/** Which of these ids name a source. */
export async function existingSourceIds(db: Database, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('sources')
    .select('id')
    .where('id', 'in', [...ids])
    .execute();
  return rows.map((row) => row.id);
}

/** Sources whose URL is on one of these hosts (e.g. t.me), for tasks that work across a kind of source. */
export async function listSourcesOnHosts(
  db: Database,
  hosts: readonly string[],
): Promise<Array<{ id: string; url: string }>> {
  if (hosts.length === 0) return [];
  const rows = await db
    .selectFrom('sources')
    .select(['id', 'url'])
    .where((eb) =>
      eb.or(hosts.flatMap((host) => [eb('url', 'like', `http://${host}/%`), eb('url', 'like', `https://${host}/%`)])),
    )
    .orderBy('id')
    .execute();
  return rows.flatMap((row) => (row.url ? [{ id: row.id, url: row.url }] : []));
}

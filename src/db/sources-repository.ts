import type { Database } from './database.js';
import { newId } from './ids.js';
import type { SourcesTable } from './schema.js';

export type Source = SourcesTable;

export async function findSource(db: Database, id: string): Promise<Source | undefined> {
  return db.selectFrom('sources').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The source named `name`, created when missing: a stream without an explicit source gets its own. */
export async function ensureSourceNamed(db: Database, name: string): Promise<Source> {
  const existing = await db.selectFrom('sources').selectAll().where('name', '=', name).executeTakeFirst();
  if (existing) return existing;
  const source: Source = { id: newId('src'), name, created_at: new Date().toISOString() };
  await db.insertInto('sources').values(source).onConflict((conflict) => conflict.column('name').doNothing()).execute();
  return (await db.selectFrom('sources').selectAll().where('name', '=', name).executeTakeFirstOrThrow());
}

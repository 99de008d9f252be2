import { randomUUID } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { createScratchDatabase } from '../helpers/postgres.js';

const postgresAdminUrl = inject('postgresAdminUrl');

/**
 * A deploy starts the setup, the API and every worker at once, each running `openDatabase`. On
 * PostgreSQL, Kysely's migrator holds an advisory lock around the migrations, so they run once and
 * every process comes up on the finished schema.
 */
describe.runIf(postgresAdminUrl)('migrations when the API and several workers start together on PostgreSQL', () => {
  it('apply once, and every process opens the database', async () => {
    const url = await createScratchDatabase(postgresAdminUrl, `migrate_${randomUUID().replace(/-/g, '')}`);
    const databases = await Promise.all(Array.from({ length: 6 }, () => openDatabase(url)));
    try {
      const [first] = databases;
      const applied = await first!
        .selectFrom('kysely_migration' as never)
        .select('name' as never)
        .execute();
      const names = applied.map((row) => (row as { name: string }).name);
      expect(names.length).toBeGreaterThan(10);
      expect(new Set(names).size).toBe(names.length);
      for (const db of databases) expect(await db.selectFrom('streams').select('id').execute()).toEqual([]);
    } finally {
      await Promise.all(databases.map((db) => db.destroy()));
    }
  });
});

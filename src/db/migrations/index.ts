import type { Migration, MigrationProvider } from 'kysely';
import { initialMigration } from './0001-initial.js';

/** Migrations in order; names are permanent once released (Kysely records them). */
const migrations: Record<string, Migration> = {
  '0001-initial': initialMigration,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};

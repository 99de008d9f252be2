import type { Migration, MigrationProvider } from 'kysely';
import type { SqlDialect } from '../dialect.js';
import { initialMigration } from './0001-initial.js';
import { streamRunPolicyMigration } from './0002-stream-run-policy.js';
import { streamScheduleMigration } from './0003-stream-schedule.js';
import { sourceUrlMigration } from './0004-source-url.js';
import { publicationsMigration } from './0005-publications.js';
import { httpValidatorsMigration } from './0006-http-validators.js';
import { itemTextMigration } from './0007-item-text.js';
import { itemMediaMigration } from './0008-item-media.js';
import { publicationStatusMigration } from './0009-publication-status.js';
import { mediaAndDocsMigration } from './0010-media-and-docs.js';
import { streamScheduleStatusMigration } from './0011-stream-schedule-status.js';
import { healthChecksMigration } from './0012-health-checks.js';
import { runClaimsMigration } from './0013-run-claims.js';
import { sharedPolitenessMigration } from './0014-shared-politeness.js';
import { robotsClaimsMigration } from './0015-robots-claims.js';
import { streamHealthMigration } from './0016-stream-health.js';
import { itemEventsMigration } from './0017-item-events.js';
import { activeRunsMigration } from './0018-active-runs.js';
import { itemImageLanguageMigration } from './0019-item-image-language.js';

/** Migrations in order; names are permanent once released (Kysely records them). */
const migrations = (dialect: SqlDialect): Record<string, Migration> => ({
  '0001-initial': initialMigration(dialect),
  '0002-stream-run-policy': streamRunPolicyMigration,
  '0003-stream-schedule': streamScheduleMigration,
  '0004-source-url': sourceUrlMigration,
  '0005-publications': publicationsMigration(dialect),
  '0006-http-validators': httpValidatorsMigration,
  '0007-item-text': itemTextMigration,
  '0008-item-media': itemMediaMigration,
  '0009-publication-status': publicationStatusMigration,
  '0010-media-and-docs': mediaAndDocsMigration(dialect),
  '0011-stream-schedule-status': streamScheduleStatusMigration,
  '0012-health-checks': healthChecksMigration,
  '0013-run-claims': runClaimsMigration,
  '0014-shared-politeness': sharedPolitenessMigration(dialect),
  '0015-robots-claims': robotsClaimsMigration(dialect),
  '0016-stream-health': streamHealthMigration(dialect),
  '0017-item-events': itemEventsMigration(dialect),
  '0018-active-runs': activeRunsMigration,
  '0019-item-image-language': itemImageLanguageMigration,
});

export const migrationProvider = (dialect: SqlDialect): MigrationProvider => ({
  getMigrations: async () => migrations(dialect),
});

import type { Kysely, Migration } from 'kysely';
import type { SqlDialect } from '../dialect.js';

/**
 * Stream health (src/health/): consecutive failures, the last error, and quarantine with its probe
 * interval live on the stream row, written by recordRunOutcome in the statement it already runs. The
 * stream_events log keeps when a stream was paused, resumed, quarantined or let out, so the ledger of
 * schedule fires can tell a fire that was not due (paused) from one that was missed.
 */
export const streamHealthMigration = (dialect: SqlDialect): Migration => ({
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable('streams')
      .addColumn('health', 'text', (column) => column.notNull().defaultTo('healthy'))
      .execute();
    await db.schema
      .alterTable('streams')
      .addColumn('consecutive_failures', 'integer', (column) => column.notNull().defaultTo(0))
      .execute();
    await db.schema.alterTable('streams').addColumn('health_error', 'text').execute();
    await db.schema.alterTable('streams').addColumn('health_error_type', 'text').execute();
    await db.schema.alterTable('streams').addColumn('health_run_id', 'text').execute();
    await db.schema.alterTable('streams').addColumn('quarantined_at', 'text').execute();
    await db.schema.alterTable('streams').addColumn('probe_interval_seconds', 'integer').execute();
    await db.schema.alterTable('streams').addColumn('next_probe_at', 'text').execute();
    await db.schema
      .createTable('stream_events')
      .addColumn('id', dialect === 'postgres' ? 'serial' : 'integer', (column) =>
        dialect === 'postgres' ? column.primaryKey() : column.primaryKey().autoIncrement(),
      )
      .addColumn('stream_id', 'text', (column) => column.notNull())
      .addColumn('at', 'text', (column) => column.notNull())
      .addColumn('kind', 'text', (column) => column.notNull())
      .addColumn('note', 'text')
      .execute();
    await db.schema.createIndex('stream_events_stream_at').on('stream_events').columns(['stream_id', 'at']).execute();
  },
});

import { streamHealthStates } from '../../schemas/statuses.js';
import { Gauge, type Registry } from 'prom-client';
import type { Database } from '../db/database.js';

const healthStates = streamHealthStates;

/**
 * Stream health for Prometheus, read from the database at each scrape (one scan of the
 * streams table: thousands of rows at most). Per stream, `newloom_stream_health{stream_id,health}` is 1
 * for its state, and `newloom_stream_consecutive_failures` alerts before a quarantine; the totals by
 * state make the dashboard's first panel.
 */
export function installStreamHealthMetrics(registry: Registry, db: Database): void {
  if (registry.getSingleMetric('newloom_stream_health')) return;
  let rows: Promise<{ id: string; health: string; consecutive_failures: number }[]> | undefined;
  // One query serves the three gauges of a scrape.
  const read = () => {
    rows ??= db
      .selectFrom('streams')
      .select(['id', 'health', 'consecutive_failures'])
      .execute()
      .finally(() => setTimeout(() => (rows = undefined), 0));
    return rows;
  };
  new Gauge({
    name: 'newloom_stream_health',
    help: "1 for each stream's health state (healthy, degraded or quarantined).",
    labelNames: ['stream_id', 'health'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of await read()) this.set({ stream_id: row.id, health: row.health }, 1);
    },
  });
  new Gauge({
    name: 'newloom_stream_consecutive_failures',
    help: 'Failed runs in a row per stream (a success sets it to 0).',
    labelNames: ['stream_id'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of await read()) this.set({ stream_id: row.id }, row.consecutive_failures);
    },
  });
  new Gauge({
    name: 'newloom_streams_by_health',
    help: 'Streams in each health state.',
    labelNames: ['health'],
    registers: [registry],
    async collect() {
      const counts = new Map<string, number>(healthStates.map((state) => [state, 0]));
      for (const row of await read()) counts.set(row.health, (counts.get(row.health) ?? 0) + 1);
      for (const [health, count] of counts) this.set({ health }, count);
    },
  });
}

/**
 * What the Temporal server did between two moments, from its Prometheus endpoint (`--metrics-port`):
 * requests per service and operation, persistence calls and their time, visibility writes and history
 * sizes. A bench scrapes before and after a batch and divides by the batch's runs, so two kinds of run on
 * one server can be compared by what each costs the server.
 */

/** The counters compared; each is summed over its label sets, grouped by service and operation. */
const families = [
  'service_requests',
  'service_latency_sum',
  'persistence_requests',
  'persistence_latency_sum',
  'visibility_persistence_requests',
  'visibility_persistence_latency_sum',
  'history_count_sum',
  'history_size_sum',
  'event_blob_size_sum',
] as const;
type Family = (typeof families)[number];

export type MetricsSnapshot = Map<string, number>;

const linePattern = /^([a-z_]+)(?:\{([^}]*)\})? ([0-9.eE+-]+|NaN)$/;

/** Reads the counters of interest, keyed `family|service|operation`. */
export function parseServerMetrics(text: string): MetricsSnapshot {
  const snapshot: MetricsSnapshot = new Map();
  for (const line of text.split('\n')) {
    const match = linePattern.exec(line);
    if (!match || !(families as readonly string[]).includes(match[1]!)) continue;
    const labels = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map(([, key, value]) => [key!, value!]),
    );
    const key = `${match[1]}|${labels.service_name ?? ''}|${labels.operation ?? ''}`;
    const value = Number(match[3]);
    if (Number.isFinite(value)) snapshot.set(key, (snapshot.get(key) ?? 0) + value);
  }
  return snapshot;
}

export async function scrapeServerMetrics(url: string): Promise<MetricsSnapshot> {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return parseServerMetrics(await response.text());
}

export interface ServerCostRow {
  family: Family;
  service: string;
  operation: string;
  /** Per run: a count, bytes, or milliseconds for the *_latency_sum families. */
  perRun: number;
}

/** What the counters grew by from `before` to `after`. */
export function metricsDelta(before: MetricsSnapshot, after: MetricsSnapshot): MetricsSnapshot {
  return new Map([...after].map(([key, value]) => [key, value - (before.get(key) ?? 0)]));
}

export function addMetrics(deltas: MetricsSnapshot[]): MetricsSnapshot {
  const total: MetricsSnapshot = new Map();
  for (const delta of deltas) for (const [key, value] of delta) total.set(key, (total.get(key) ?? 0) + value);
  return total;
}

/** A delta per run, largest first within each family (rows under `floor` per run dropped). */
export function serverCostPerRun(delta: MetricsSnapshot, runs: number, floor = 0.05): ServerCostRow[] {
  const rows: ServerCostRow[] = [];
  for (const [key, value] of delta) {
    const [family, service, operation] = key.split('|') as [Family, string, string];
    const perRun = (family.endsWith('latency_sum') ? value * 1000 : value) / runs;
    if (perRun >= floor) rows.push({ family, service, operation, perRun: Number(perRun.toFixed(2)) });
  }
  return rows.sort((a, b) => a.family.localeCompare(b.family) || b.perRun - a.perRun);
}

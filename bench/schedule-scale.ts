/**
 * Many streams on 5-minute schedules against a running installation: does every fire start, how soon
 * after its scheduled time, and what do the processes cost while it goes on.
 *   API_URL=http://127.0.0.1:3000 TEMPORAL_ADDRESS=127.0.0.1:7233 STREAMS=1000 MINUTES=15 \
 *   PROCESSES='api+worker=src/main.ts;temporal=start-dev' LABEL=dev-server npx tsx bench/schedule-scale.ts
 * (a PROCESSES entry is `name=<pgrep -f pattern>` or `name=pid:<pid>,<pid>`)
 *
 * Streams fetch a small feed from FEED_HOSTS local fixture servers (100 by default), so per-host
 * politeness does not set the pace. The streams are deleted at the end. Results go to stdout and to
 * .cache/bench/schedule-scale-<label>.json.
 *
 * Each fire's due time comes from the stream's spec (the interval and its per-stream offset), and what
 * became of it from the runs its schedule started, found in visibility by their ids
 * (`<streamId>-scheduled-<scheduled time>`). Schedule-to-start is the run's start time minus its scheduled
 * time. (A first version matched runs to 5-minute boundaries and counted almost none, because each
 * stream fires at its own offset; a second asked each schedule for its recent actions, a query per
 * schedule that a loaded server timed out.)
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { Client, Connection } from '@temporalio/client';
import { scheduleIdFor, scheduleSpecFor } from '../src/temporal/schedules.js';
import { startFeedHosts } from './lib/feed-hosts.js';
import { sampleProcess } from './lib/proc-sample.js';

const env = (name: string, fallback?: string): string => {
  const value = process.env[name] ?? fallback;
  if (value === undefined) throw new Error(`schedule-scale needs ${name}`);
  return value;
};
const apiUrl = env('API_URL');
const apiKey = process.env.API_KEY;
const streams = Number(env('STREAMS', '1000'));
const minutes = Number(env('MINUTES', '15'));
const feedHosts = Number(env('FEED_HOSTS', '100'));
const label = env('LABEL', 'run');
const processes = env('PROCESSES', '')
  .split(';')
  .filter(Boolean)
  .map((entry) => {
    const [name, pattern] = entry.split('=') as [string, string];
    return { name, pattern };
  });

async function api(method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${apiUrl}${path}`, {
    method,
    headers: {
      ...(body ? { 'content-type': 'application/json' } : {}),
      ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : undefined;
}

/** A loaded server may miss a deadline now and then; the figures must not be lost to one. */
async function withRetries<T>(call: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1000 * attempt));
    }
  }
}

async function inBatches<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

// Process sampling from /proc: resident memory and CPU time, every 10 s.
function pidsOf(pattern: string): number[] {
  // `pid:1,2` names processes outright, where a command line cannot tell two installations apart.
  if (pattern.startsWith('pid:')) return pattern.slice(4).split(',').map(Number);
  try {
    return execFileSync('pgrep', ['-f', pattern])
      .toString()
      .trim()
      .split('\n')
      .map(Number)
      .filter((pid) => pid !== process.pid);
  } catch {
    return [];
  }
}
type Sample = {
  at: number;
  loadAverage: number;
  perProcess: Record<string, { rssMb: number; cpuSeconds: number }>;
};
function sampleAll(): Sample {
  const perProcess: Sample['perProcess'] = {};
  for (const { name, pattern } of processes) {
    const pids = pidsOf(pattern);
    pids.forEach((pid, index) => {
      const sample = sampleProcess(pid);
      if (sample) perProcess[pids.length > 1 ? `${name}#${index + 1}` : name] = sample;
    });
  }
  return { at: Date.now(), loadAverage: loadavg()[0]!, perProcess };
}

const feedHostServers = await startFeedHosts(feedHosts);
const { origins } = feedHostServers;

/** Every stream of the stack, following GET /streams page by page (nextCursor is null on the last). */
async function listAllStreams(): Promise<Array<{ id: string; name: string; scheduleStatus: string }>> {
  const found: Array<{ id: string; name: string; scheduleStatus: string }> = [];
  let cursor: string | null = null;
  do {
    const page = (await api('GET', `/streams?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)) as {
      streams: Array<{ id: string; name: string; scheduleStatus: string }>;
      nextCursor: string | null;
    };
    found.push(...page.streams);
    cursor = page.nextCursor;
  } while (cursor);
  return found;
}

console.log(`[${label}] creating ${streams} streams on 5-minute schedules…`);
const createdIds: string[] = [];
let savedWithoutSchedule = 0;
const createStarted = Date.now();
// REUSE_STREAMS=1 measures the streams an earlier run of this label left behind instead of creating them.
if (process.env.REUSE_STREAMS === '1') {
  for (const stream of await listAllStreams())
    if (stream.name.startsWith(`scale ${label} `)) {
      createdIds.push(stream.id);
      if (stream.scheduleStatus === 'error') savedWithoutSchedule += 1;
    }
}
await inBatches(
  Array.from({ length: process.env.REUSE_STREAMS === '1' ? 0 : streams }, (_, n) => n),
  Number(env('CREATE_CONCURRENCY', '8')),
  async (n) => {
    try {
      const stream = (await api('POST', '/streams', {
        name: `scale ${label} ${n}`,
        type: 'rss_feed',
        config: { url: `${origins[n % origins.length]}/feed-${n}.xml`, respect_robots_txt: false },
        frequency: '5min',
      })) as { id: string };
      createdIds.push(stream.id);
    } catch (error) {
      // Saved, but Temporal did not answer the schedule create in time: the API's repair loop retries it.
      const saved = /SCHEDULE_SYNC_FAILED.*the stream (str_[0-9a-f]+) is saved/.exec(String(error));
      if (!saved) throw error;
      createdIds.push(saved[1]!);
      savedWithoutSchedule += 1;
    }
  },
);
const createSeconds = (Date.now() - createStarted) / 1000;
console.log(
  `[${label}] created in ${createSeconds.toFixed(0)} s (${savedWithoutSchedule} answered 503 SCHEDULE_SYNC_FAILED)`,
);
// Measure only once every schedule exists: wait for the repair loop to settle those that answered 503.
let repairSeconds = 0;
let unrepaired = 0;
if (savedWithoutSchedule > 0 && process.env.REUSE_STREAMS !== '1') {
  const repairStarted = Date.now();
  for (;;) {
    const broken = (await listAllStreams()).filter((stream) => stream.scheduleStatus === 'error').length;
    if (broken === 0) break;
    if (Date.now() - repairStarted > 300_000) {
      // Measure anyway: the streams without a schedule show up as fires missed, which is the finding.
      unrepaired = broken;
      console.log(`[${label}] ${broken} schedules still unrepaired after 5 min; measuring anyway`);
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 5_000));
  }
  repairSeconds = (Date.now() - repairStarted) / 1000;
  console.log(`[${label}] the API repaired them in ${repairSeconds.toFixed(0)} s`);
}
console.log(`[${label}] measuring for ${minutes} min`);

const windowStart = Date.now();
const windowEnd = windowStart + minutes * 60_000;
const samples: Sample[] = [sampleAll()];
while (Date.now() < windowEnd) {
  await new Promise((resolve) => setTimeout(resolve, Math.min(10_000, windowEnd - Date.now())));
  samples.push(sampleAll());
}

// Fires due in the window, from each stream's own spec (a 5-minute interval with a per-stream offset),
// against the runs the schedules started, read from visibility in one listing: a scheduled run's id is
// `<streamId>-scheduled-<scheduled time>` and its start time is when Temporal took the action. (Asking
// each schedule for its recent actions costs a query per schedule, which a loaded server times out.)
const PERIOD_SECONDS = 300;
const measuredUntil = windowEnd - 30_000;
const connection = await Connection.connect({ address: env('TEMPORAL_ADDRESS') });
const client = new Client({ connection, namespace: env('TEMPORAL_NAMESPACE', 'default') });
const ours = new Set(createdIds);
const startedAt = new Map<string, number>();
const listedSince = new Date(windowStart - 60_000).toISOString();
await withRetries(async () => {
  for await (const run of client.workflow.list({
    query: `NewloomTrigger = 'schedule' AND StartTime >= '${listedSince}'`,
  })) {
    const match = /^(str_[0-9a-f]+)-scheduled-(.+)$/.exec(run.workflowId);
    if (!match || !ours.has(match[1]!)) continue;
    startedAt.set(`${match[1]}@${Date.parse(match[2]!)}`, run.startTime.getTime());
  }
});
const latencies: number[] = [];
let expected = 0;
let started = 0;
const missingStreams: string[] = [];
for (const streamId of createdIds) {
  const spec = scheduleSpecFor(streamId, '5min');
  const offsetSeconds = Number(String(spec.intervals?.[0]?.offset ?? '0s').replace(/s$/, ''));
  const firstDue = Math.ceil((windowStart / 1000 - offsetSeconds) / PERIOD_SECONDS) * PERIOD_SECONDS + offsetSeconds;
  let startedHere = 0;
  let dueHere = 0;
  for (let at = firstDue * 1000; at < measuredUntil; at += PERIOD_SECONDS * 1000) {
    dueHere += 1;
    const takenAt = startedAt.get(`${streamId}@${at}`);
    if (takenAt === undefined) continue;
    startedHere += 1;
    latencies.push(takenAt - at);
  }
  expected += dueHere;
  started += startedHere;
  if (startedHere < dueHere) missingStreams.push(streamId);
}
// What the schedules say of the fires they did not start (best effort: one describe each, a sample).
const skippedOverlap = { count: 0 };
const missedCatchup = { count: 0 };
let describeFailures = 0;
await inBatches(missingStreams.slice(0, 100), 4, async (streamId) => {
  try {
    const { info } = await client.schedule.getHandle(scheduleIdFor(streamId)).describe();
    skippedOverlap.count += info.numActionsSkippedOverlap;
    missedCatchup.count += info.numActionsMissedCatchupWindow;
  } catch {
    describeFailures += 1;
  }
});
await connection.close();

const sorted = [...latencies].sort((a, b) => a - b);
const quantile = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
const first = samples[0]!;
const last = samples.at(-1)!;
const perProcess = Object.keys(last.perProcess).map((name) => {
  const series = samples.map((sample) => sample.perProcess[name]?.rssMb ?? 0);
  const cpu =
    (last.perProcess[name]!.cpuSeconds - (first.perProcess[name]?.cpuSeconds ?? 0)) / ((last.at - first.at) / 1000);
  return {
    name,
    rssPeakMb: Math.round(Math.max(...series)),
    rssEndMb: Math.round(series.at(-1)!),
    cpuPercent: Math.round(cpu * 100),
  };
});
const result = {
  label,
  streams,
  minutes,
  createSeconds: Math.round(createSeconds),
  savedWithoutSchedule,
  repairSeconds: Math.round(repairSeconds),
  unrepaired,
  fires: {
    expected,
    started,
    missed: expected - started,
    // Counted over (at most 100 of) the streams missing a fire.
    skippedByOverlap: skippedOverlap.count,
    missedCatchupWindow: missedCatchup.count,
    describeFailures,
    streamsMissingAFire: missingStreams.slice(0, 20),
  },
  scheduleToStartMs: { p50: quantile(0.5), p95: quantile(0.95), p99: quantile(0.99), max: sorted.at(-1) ?? NaN },
  processes: perProcess,
  loadAverage: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
  // The 1-minute load average sampled through the window: what else the 2 cores were doing.
  windowLoadAverage: {
    mean: Number((samples.reduce((sum, sample) => sum + sample.loadAverage, 0) / samples.length).toFixed(2)),
    max: Math.max(...samples.map((sample) => sample.loadAverage)),
  },
};
console.log(JSON.stringify(result, null, 2));
mkdirSync('.cache/bench', { recursive: true });
writeFileSync(`.cache/bench/schedule-scale-${label}.json`, JSON.stringify(result, null, 2));

console.log(`[${label}] deleting the streams…`);
await inBatches(createdIds, 8, async (id) => {
  await withRetries(() => api('DELETE', `/streams/${id}`));
});
feedHostServers.close();

/**
 * Items per second of the collection activities on a 1,000-entry document, next to the parsing library
 * alone on the same bytes, measured side by side in one process (ratios, not absolutes, are the result).
 *   npx tsx bench/collect-throughput.ts [rounds]
 *
 * "activity" runs the real activity function (fetch from a local fixture server, decode, parse,
 * canonicalise, de-duplicate) in a MockActivityEnvironment; "parser" is the library on the string.
 * Each round runs the activity and then its library, so both see the same load from other processes
 * on a shared machine; "speed vs library" is the median of the rounds' own ratios, by wall time and by
 * this process's CPU time (user + system, the fixture server's included). On a loaded machine the
 * activity's network round trip waits for a core each time it wakes, which wall time counts and CPU
 * time does not.
 */
import { availableParallelism, loadavg } from 'node:os';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { XMLParser } from 'fast-xml-parser';
import { parseFeed } from 'feedsmith';
import { createTaskActivities } from '../activities/tasks/index.js';
import type { CollectionOutput } from '../schemas/stream-run.js';
import { createLogger } from '../src/logger.js';
import { FixtureServer } from '../test/helpers/fixture-server.js';
import { readFixtureText } from '../test/helpers/fixtures.js';
import { summarize } from './lib/stats.js';

const rounds = Number(process.argv[2] ?? 30);
const feedXml = readFixtureText('feeds/rss2-1000-items.xml');
const sitemapXml = `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
${Array.from({ length: 1000 }, (_, n) => `  <url><loc>https://bulk.example.test/news/${n}</loc><news:news><news:publication><news:name>Bulk</news:name><news:language>en</news:language></news:publication><news:publication_date>2026-11-23T10:${String(n % 60).padStart(2, '0')}:00Z</news:publication_date><news:title>Story ${n}</news:title></news:news></url>`).join('\n')}
</urlset>`;

// The fixture server shares this process, so its work counts as the activity's: it sends bytes encoded
// once, as a site sends a file, rather than encoding the string again for every request.
const site = await FixtureServer.start();
site.route('/feed.xml', { body: Buffer.from(feedXml), headers: { 'content-type': 'application/rss+xml' } });
site.route('/sitemap.xml', { body: Buffer.from(sitemapXml), headers: { 'content-type': 'application/xml' } });
const activities = createTaskActivities({
  logger: createLogger('silent'),
  http: {
    userAgent: 'bench',
    timeoutMs: 30_000,
    maxBodyBytes: 10 << 20,
    hostMinIntervalMs: 0,
    allowedPrivateHosts: ['127.0.0.1'],
  },
});
const xmlParser = new XMLParser({ ignoreAttributes: true, removeNSPrefix: true, parseTagValue: false });

/** Wall and CPU milliseconds of one call. */
async function timeOnce(fn: () => unknown): Promise<{ wall: number; cpu: number }> {
  const cpuStart = process.cpuUsage();
  const started = performance.now();
  await fn();
  const wall = performance.now() - started;
  const cpu = process.cpuUsage(cpuStart);
  return { wall, cpu: (cpu.user + cpu.system) / 1000 };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Activity and library in turns, one warm-up pair first: their wall samples and each round's ratios. */
async function timePair(activity: () => unknown, library: () => unknown) {
  await activity();
  await library();
  const activityMs: number[] = [];
  const libraryMs: number[] = [];
  const wallRatios: number[] = [];
  const cpuRatios: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    const ofActivity = await timeOnce(activity);
    const ofLibrary = await timeOnce(library);
    activityMs.push(ofActivity.wall);
    libraryMs.push(ofLibrary.wall);
    wallRatios.push(ofLibrary.wall / ofActivity.wall);
    cpuRatios.push(ofLibrary.cpu / ofActivity.cpu);
  }
  return {
    activityMs,
    libraryMs,
    ratio: `${median(wallRatios).toFixed(2)}× wall, ${median(cpuRatios).toFixed(2)}× CPU`,
  };
}

// The mock's default logger prints every activity log line to the console; the worker's goes to pino.
const quietEnvironment = () => new MockActivityEnvironment(undefined, { logger: new DefaultLogger('WARN') });
const runActivity = (name: 'rss_feed' | 'sitemap_news', config: unknown) => async () => {
  const output: CollectionOutput = await quietEnvironment().run(activities[name], config);
  if (output.items.length !== 1000) throw new Error(`${name} collected ${output.items.length} items, expected 1000`);
};

const feed = await timePair(runActivity('rss_feed', { url: site.url('/feed.xml'), max_items: 1000 }), () =>
  parseFeed(feedXml),
);
const sitemap = await timePair(
  runActivity('sitemap_news', { sitemap_url: site.url('/sitemap.xml'), max_links: 1000 }),
  () => xmlParser.parse(sitemapXml),
);
await site.close();

const [load1] = loadavg();
console.log(
  `1,000 entries, ${rounds} rounds after one warm-up; load average ${load1!.toFixed(1)} on ${availableParallelism()} cores`,
);
console.log('| what | median ms | p90 ms | items/s (median) | speed vs library alone |');
console.log('|---|---|---|---|---|');
const rows = [
  ['rss_feed activity', feed.activityMs, feed.ratio],
  ['feedsmith parseFeed alone', feed.libraryMs, ''],
  ['sitemap_news activity', sitemap.activityMs, sitemap.ratio],
  ['fast-xml-parser alone', sitemap.libraryMs, ''],
] as const;
for (const [name, samples, ratio] of rows) {
  const stats = summarize(samples);
  const perSecond = Math.round(1000 / (stats.median / 1000)).toLocaleString('en');
  console.log(`| ${name} | ${stats.median} | ${stats.p90} | ${perSecond} | ${ratio} |`);
}

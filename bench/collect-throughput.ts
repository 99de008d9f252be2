/**
 * Items per second of the collection activities on a 1,000-entry document, next to the parsing library
 * alone on the same bytes, measured side by side in one process (ratios, not absolutes, are the result).
 *   npx tsx bench/collect-throughput.ts [rounds]
 *
 * "activity" runs the real activity function (fetch from a local fixture server, decode, parse,
 * canonicalise, de-duplicate) in a MockActivityEnvironment; "parser" is the library on the string.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
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

const site = await FixtureServer.start();
site.route('/feed.xml', { body: feedXml, headers: { 'content-type': 'application/rss+xml' } });
site.route('/sitemap.xml', { body: sitemapXml, headers: { 'content-type': 'application/xml' } });
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

async function time(fn: () => unknown): Promise<number[]> {
  await fn(); // warm-up
  const samples: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    const started = performance.now();
    await fn();
    samples.push(performance.now() - started);
  }
  return samples;
}

const runActivity = (name: 'rss_feed' | 'sitemap_news', config: unknown) => async () => {
  const output: CollectionOutput = await new MockActivityEnvironment().run(activities[name], config);
  if (output.items.length !== 1000) throw new Error(`${name} collected ${output.items.length} items, expected 1000`);
};

const rows = [
  ['rss_feed activity', await time(runActivity('rss_feed', { url: site.url('/feed.xml'), max_items: 1000 }))],
  ['feedsmith parseFeed alone', await time(() => parseFeed(feedXml))],
  [
    'sitemap_news activity',
    await time(runActivity('sitemap_news', { sitemap_url: site.url('/sitemap.xml'), max_links: 1000 })),
  ],
  ['fast-xml-parser alone', await time(() => xmlParser.parse(sitemapXml))],
] as const;
await site.close();

console.log(`1,000 entries, ${rounds} rounds after one warm-up`);
console.log('| what | median ms | p90 ms | items/s (median) |');
console.log('|---|---|---|---|');
for (const [name, samples] of rows) {
  const stats = summarize(samples);
  console.log(
    `| ${name} | ${stats.median} | ${stats.p90} | ${Math.round(1000 / (stats.median / 1000)).toLocaleString('en')} |`,
  );
}

/**
 * Runs the rss_feed activity on the 1,000-entry fixture feed over and over, for a CPU profile:
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/profile-rss-feed.ts [runs]
 * or, with PARTS=1, times each part of the activity on its own, in turns with the whole, so
 * the profile's shares can be checked against direct timings.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { parseFeed } from 'feedsmith';
import { SkippedUrls } from '../activities/canonical-url.js';
import { entriesToItems } from '../activities/feeds/entries-to-items.js';
import { parseFeedDocument, parseWithFeedsmith } from '../activities/feeds/parse-feed.js';
import { decodeBody } from '../activities/http/decode-body.js';
import { HttpClient } from '../activities/http/http-client.js';
import { createTaskActivities } from '../activities/tasks/index.js';
import type { CollectionOutput } from '../schemas/stream-run.js';
import { createLogger } from '../src/logger.js';
import { FixtureServer } from '../test/helpers/fixture-server.js';
import { readFixtureText } from '../test/helpers/fixtures.js';

const runs = Number(process.argv[2] ?? 200);
const feedXml = readFixtureText('feeds/rss2-1000-items.xml');
const feedBytes = Buffer.from(feedXml);
const site = await FixtureServer.start();
site.route('/feed.xml', { body: feedBytes, headers: { 'content-type': 'application/rss+xml' } });
const http = {
  userAgent: 'bench',
  timeoutMs: 30_000,
  maxBodyBytes: 10 << 20,
  hostMinIntervalMs: 0,
  allowedPrivateHosts: ['127.0.0.1'],
};
const activities = createTaskActivities({ logger: createLogger('silent'), http });
const client = new HttpClient(http);
const url = site.url('/feed.xml');
const environment = () => new MockActivityEnvironment(undefined, { logger: new DefaultLogger('WARN') });

/** Each part in turn, round after round after a warm-up, so all meet the same load: fastest and median ms. */
async function timeParts(parts: Record<string, () => unknown>, rounds: number) {
  const samples = new Map<string, number[]>(Object.keys(parts).map((name) => [name, []]));
  for (let round = -5; round < rounds; round += 1) {
    for (const [name, part] of Object.entries(parts)) {
      const started = performance.now();
      await part();
      if (round >= 0) samples.get(name)!.push(performance.now() - started);
    }
  }
  for (const [name, values] of samples) {
    values.sort((a, b) => a - b);
    const median = values[Math.floor(values.length / 2)]!;
    console.log(`${name.padEnd(40)} fastest ${values[0]!.toFixed(2)} ms, median ${median.toFixed(2)} ms`);
  }
}

const parsed = parseFeedDocument(feedXml);
const signal = new AbortController().signal;
// Part timings only when asked (PARTS=1), so that a profile shows the activity alone.
if (process.env.PARTS) {
  await timeParts(
    {
      'activity (whole)': async () => {
        const output: CollectionOutput = await environment().run(activities.rss_feed, { url, max_items: 1000 });
        if (output.items.length !== 1000) throw new Error(`collected ${output.items.length} items`);
      },
      'feedsmith parseFeed alone': () => parseFeed(feedXml),
      'getText + parse + items, no activity': async () => {
        const response = await client.getText(url, signal, { accept: '*/*', respectRobots: false });
        entriesToItems(parseFeedDocument(response.body), response.url, new SkippedUrls());
      },
      'parseFeedDocument (lean path)': () => parseFeedDocument(feedXml),
      'parseWithFeedsmith (feedsmith path)': () => parseWithFeedsmith(feedXml),
      entriesToItems: () => entriesToItems(parsed, url, new SkippedUrls()),
      'http getText (fetch + decode)': () => client.getText(url, signal, { accept: '*/*', respectRobots: false }),
      decodeBody: () => decodeBody(feedBytes, 'application/rss+xml'),
      'MockActivityEnvironment + no-op': () => environment().run(async () => 1),
    },
    runs,
  );
} else {
  for (let n = 0; n < runs; n += 1) {
    await environment().run(activities.rss_feed, { url, max_items: 1000 });
  }
}
// Not site.close(): it waits on the clients' pooled connections. Exiting ends them (and writes the profile).
process.exit(0);

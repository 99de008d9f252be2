/**
 * Heap held by the robots.txt cache after ten origins each serve a ~10 MiB robots.txt of real rules
 * (issue 11: it was 398 MB). Run: node --expose-gc --import tsx bench/robots-heap.ts
 */
import { HttpClient } from '../activities/http/http-client.js';
import { FixtureServer } from '../test/helpers/fixture-server.js';

const ORIGINS = 10;
const ROBOTS_BYTES = 10 * 1024 * 1024 - 64 * 1024;

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');
const heapMb = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
};

function robotsOfRules(bytes: number): string {
  const lines: string[] = ['User-agent: *'];
  for (let size = 14, index = 0; size < bytes; index += 1) {
    const line = `Disallow: /section-${index}/page-*.html`;
    lines.push(line);
    size += line.length + 1;
  }
  return lines.join('\n');
}
const robots = robotsOfRules(ROBOTS_BYTES);
const sites = await Promise.all(Array.from({ length: ORIGINS }, () => FixtureServer.start()));
for (const site of sites) {
  site.route('/robots.txt', { body: robots, headers: { 'content-type': 'text/plain' } });
  site.route('/feed.xml', { body: '<rss/>' });
}
const http = new HttpClient({
  userAgent: 'NewLoom-bench',
  timeoutMs: 60_000,
  maxBodyBytes: 10 << 20,
  hostMinIntervalMs: 0,
  allowedPrivateHosts: ['127.0.0.1'],
});

const before = heapMb();
const started = Date.now();
for (const site of sites) await http.getText(site.url('/feed.xml'), new AbortController().signal, { accept: '*/*' });
const after = heapMb();
console.log(
  JSON.stringify({
    origins: ORIGINS,
    robotsMiB: +(robots.length / 2 ** 20).toFixed(1),
    heapBeforeMb: +before.toFixed(1),
    heapAfterMb: +after.toFixed(1),
    addedMb: +(after - before).toFixed(1),
    seconds: (Date.now() - started) / 1000,
  }),
);
await Promise.all(sites.map((site) => site.close()));
// Keep the client (and its cache) alive until after the measurement.
void http;

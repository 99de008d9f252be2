import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../../activities/http/http-client.js';
import { ROBOTS_MAX_BYTES, RobotsCache } from '../../activities/http/robots.js';
import { FixtureServer } from '../helpers/fixture-server.js';

const signal = () => new AbortController().signal;

describe('RobotsCache', () => {
  it('keeps at most maxOrigins origins, evicting the least recently used', async () => {
    const loads: string[] = [];
    const cache = new RobotsCache(
      async (robotsUrl) => (loads.push(robotsUrl), 'User-agent: *\nDisallow: /private/\n'),
      60_000,
      { maxOrigins: 2, maxTotalBytes: 1 << 20 },
    );
    await cache.isAllowed('http://a.example/', 'ua', signal());
    await cache.isAllowed('http://b.example/', 'ua', signal());
    await cache.isAllowed('http://a.example/x', 'ua', signal()); // a is now the most recent
    await cache.isAllowed('http://c.example/', 'ua', signal()); // evicts b
    expect(cache.size).toBe(2);
    await cache.isAllowed('http://a.example/y', 'ua', signal());
    expect(loads).toEqual([
      'http://a.example/robots.txt',
      'http://b.example/robots.txt',
      'http://c.example/robots.txt',
    ]);
    await cache.isAllowed('http://b.example/', 'ua', signal());
    expect(loads.at(-1)).toBe('http://b.example/robots.txt');
    expect(cache.size).toBe(2);
  });

  it('keeps the robots text of all origins under maxTotalBytes, the newest always kept', async () => {
    const body = `User-agent: *\nDisallow: /private/\n#${'x'.repeat(1000)}`;
    const cache = new RobotsCache(async () => body, 60_000, { maxOrigins: 100, maxTotalBytes: 2.5 * body.length });
    for (const host of ['a', 'b', 'c', 'd'])
      expect(await cache.isAllowed(`http://${host}.example/private/1`, 'ua', signal())).toBe(false);
    expect(cache.size).toBe(2);
  });
});

describe('robots.txt through the HttpClient', () => {
  let site: FixtureServer;
  beforeAll(async () => {
    site = await FixtureServer.start();
    // 2 MiB of robots.txt: a rule in the first 500 KiB counts, one past it is never read (as Google does).
    const filler = `# ${'x'.repeat(1000)}\n`.repeat(Math.ceil((2 * 1024 * 1024) / 1003));
    site.route('/robots.txt', { body: `User-agent: *\nDisallow: /early/\n${filler}Disallow: /late/\n`, chunked: true });
    site.route('/early/page', { body: 'early' });
    site.route('/late/page', { body: 'late' });
  });
  afterAll(() => site?.close());

  it('reads at most 500 KiB of a robots.txt and obeys the rules found there, even when the body limit is larger', async () => {
    expect(ROBOTS_MAX_BYTES).toBe(500 * 1024);
    const http = new HttpClient({
      userAgent: 'NewLoom-test',
      timeoutMs: 5000,
      maxBodyBytes: 10 << 20,
      hostMinIntervalMs: 0,
      allowedPrivateHosts: ['127.0.0.1'],
    });
    const early = await http.getText(site.url('/early/page'), signal(), { accept: '*/*' }).then(
      () => 'fetched',
      (error: { type?: string }) => error.type,
    );
    expect(early).toBe('RobotsDisallowedError');
    expect((await http.getText(site.url('/late/page'), signal(), { accept: '*/*' })).body).toBe('late');
    expect(site.requestsTo('/robots.txt')).toHaveLength(1);
  });
});

import { createServer, type AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient, type HttpSettings } from '../../activities/http/http-client.js';
import { FailureType } from '../../schemas/failure-types.js';
import { createStream, startRun, waitForRunToClose } from '../helpers/api.js';
import { FixtureServer } from '../helpers/fixture-server.js';
import { readFixture } from '../helpers/fixtures.js';
import { startTestStack, testHttpSettings, type TestStack } from '../helpers/stack.js';

// The shared fetch layer against a real local HTTP server: politeness, robots.txt, limits. The last
// tests take two of these behaviours through the dev server end to end.
let site: FixtureServer;
let stack: TestStack;

beforeAll(async () => {
  [site, stack] = await Promise.all([FixtureServer.start(), startTestStack()]);
  site.route('/robots.txt', {
    headers: { 'content-type': 'text/plain' },
    body: 'User-agent: *\nDisallow: /private/\n',
  });
  site.route('/private/feed.xml', { fixture: 'feeds/rss2-news.xml' });
  site.route('/public/feed.xml', { fixture: 'feeds/rss2-news.xml' });
  site.route('/loop/a', { status: 302, headers: { location: '/loop/b' } });
  site.route('/loop/b', { status: 302, headers: { location: '/loop/a' } });
  site.route('/moved', { status: 301, headers: { location: '/public/feed.xml' } });
});

afterAll(async () => {
  await stack?.close();
  await site?.close();
});

const client = (settings: Partial<HttpSettings> = {}) => new HttpClient({ ...testHttpSettings, ...settings });
const signal = () => new AbortController().signal;
const failureType = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(ApplicationFailure);
  return (error as ApplicationFailure).type;
};

describe('the shared fetch layer', () => {
  it("refuses URLs the site's robots.txt disallows, reads robots.txt once per host, and lets a stream opt out", async () => {
    const http = client();
    expect(await failureType(http.getText(site.url('/private/feed.xml'), signal(), { accept: '*/*' }))).toBe(
      FailureType.RobotsDisallowed,
    );
    expect((await http.getText(site.url('/public/feed.xml'), signal(), { accept: '*/*' })).status).toBe(200);
    expect(
      (await http.getText(site.url('/private/feed.xml'), signal(), { accept: '*/*', respectRobots: false })).status,
    ).toBe(200);
    expect(site.requestsTo('/robots.txt').length).toBe(1);
  });

  it('follows redirects to the final URL but stops a loop and a chain past the limit', async () => {
    const http = client();
    expect((await http.getText(site.url('/moved'), signal(), { accept: '*/*' })).url).toBe(
      site.url('/public/feed.xml'),
    );
    expect(await failureType(http.getText(site.url('/loop/a'), signal(), { accept: '*/*' }))).toBe(
      FailureType.TooManyRedirects,
    );
    expect(
      await failureType(client({ maxRedirects: 0 }).getText(site.url('/moved'), signal(), { accept: '*/*' })),
    ).toBe(FailureType.TooManyRedirects);
  });

  it('cuts a body off at the size limit, declared or streamed', async () => {
    const big = Buffer.alloc(300 * 1024, 'a');
    const declared = site.route('/big-declared', { body: big });
    const streamed = site.route('/big-streamed', { body: big, chunked: true });
    const http = client({ maxBodyBytes: 100 * 1024 });
    expect(await failureType(http.getBody(declared, signal(), { accept: '*/*' }))).toBe(FailureType.BodyTooLarge);
    expect(await failureType(http.getBody(streamed, signal(), { accept: '*/*' }))).toBe(FailureType.BodyTooLarge);
  });

  it('asks for compressed bodies, inflates them, and applies the size limit to what they inflate to', async () => {
    const feed = readFixture('feeds/rss2-news.xml');
    const compressed = site.route('/compressed-feed.xml', {
      headers: { 'content-encoding': 'gzip', 'content-type': 'application/rss+xml' },
      body: gzipSync(feed),
    });
    const bomb = site.route('/bomb.xml', {
      headers: { 'content-encoding': 'gzip' },
      body: gzipSync(Buffer.alloc(20 * 1024 * 1024)),
    });
    const http = client({ maxBodyBytes: 100 * 1024 });

    const fetched = await http.getText(compressed, signal(), { accept: '*/*' });
    expect(fetched.body).toBe(feed.toString('utf8'));
    expect(site.requestsTo('/compressed-feed.xml')[0]?.headers['accept-encoding']).toMatch(/gzip/);
    expect(await failureType(http.getBody(bomb, signal(), { accept: '*/*' }))).toBe(FailureType.BodyTooLarge);
  });

  it('gives up on a host that accepts the connection but never completes the handshake, at the connect timeout', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      const started = Date.now();
      const failure = await client({ connectTimeoutMs: 300, timeoutMs: 10_000 })
        .getText(`https://127.0.0.1:${port}/feed.xml`, signal(), { accept: '*/*', respectRobots: false })
        .then(
          () => undefined,
          (error: unknown) => error,
        );
      expect(failure).toBeInstanceOf(ApplicationFailure);
      expect((failure as ApplicationFailure).type).toBe(FailureType.Network);
      expect((failure as ApplicationFailure).message).toMatch(/connect timeout/i);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      silent.close();
    }
  });

  it('spaces requests to one host and caps how many run at once', async () => {
    const path = '/spaced.xml';
    site.route(path, { fixture: 'feeds/atom-blog.xml' });
    const http = client({ hostMinIntervalMs: 250, hostConcurrency: 1 });
    await Promise.all(
      [0, 1, 2].map(() => http.getText(site.url(path), signal(), { accept: '*/*', respectRobots: false })),
    );
    const starts = site.requestsTo(path).map((request) => request.at);
    expect(starts).toHaveLength(3);
    expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(230);
    expect(starts[2]! - starts[1]!).toBeGreaterThanOrEqual(230);
  });

  it('lets a cancelled request leave the host queue at once', async () => {
    site.route('/held-for-queue', { hold: true });
    const http = client({ hostConcurrency: 1 });
    const holder = new AbortController();
    const first = http
      .getText(site.url('/held-for-queue'), holder.signal, { accept: '*/*', respectRobots: false })
      .catch((error: unknown) => error);
    const queued = new AbortController();
    const second = http.getText(site.url('/public/feed.xml'), queued.signal, { accept: '*/*', respectRobots: false });
    const reason = new Error('cancelled by test');
    queued.abort(reason);
    await expect(second).rejects.toBe(reason);
    holder.abort(new Error('done'));
    await first;
  });
});

describe('fetch-layer failures through the dev server', () => {
  it('fails a run whose feed robots.txt disallows, without retrying', async () => {
    const stream = await createStream(stack.app, {
      name: 'private feed',
      type: 'rss_feed',
      config: { url: site.url('/private/feed.xml') },
    });
    const run = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id));
    expect(run.status).toBe('failed');
    expect(run.error?.type).toBe(FailureType.RobotsDisallowed);
    expect(run.error?.message).toContain('respect_robots_txt');
  });

  it('fails a run caught in a redirect loop, without retrying', async () => {
    const before = site.requestsTo('/loop/a').length;
    const stream = await createStream(stack.app, {
      name: 'loop',
      type: 'rss_feed',
      config: { url: site.url('/loop/a') },
    });
    const run = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id));
    expect(run.status).toBe('failed');
    expect(run.error?.type).toBe(FailureType.TooManyRedirects);
    expect(site.requestsTo('/loop/a').length - before).toBe(1);
  });

  it('fails a run whose feed is larger than the body limit, without retrying', async () => {
    const oversized = site.route('/huge-feed.xml', {
      body: Buffer.alloc(testHttpSettings.maxBodyBytes + 1, ' '),
      chunked: true,
    });
    const stream = await createStream(stack.app, { name: 'huge', type: 'rss_feed', config: { url: oversized } });
    const run = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id));
    expect(run.status).toBe('failed');
    expect(run.error?.type).toBe(FailureType.BodyTooLarge);
    expect(site.requestsTo('/huge-feed.xml')).toHaveLength(1);
  });
});

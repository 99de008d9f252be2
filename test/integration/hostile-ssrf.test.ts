import { createServer, type AddressInfo, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FailureType } from '../../schemas/failure-types.js';
import { createStream, startRun, waitFor, waitForRunToClose } from '../helpers/api.js';
import { FixtureServer } from '../helpers/fixture-server.js';
import { readFixture } from '../helpers/fixtures.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';

// Issue 11, SSRF: a stranger's feed or page points the worker at its own network. The stack's
// allow-list holds only the `site` fixture's host:port; `internal` is the same loopback address on
// another port, standing in for an internal service, so the guard is all that keeps it unread.
let stack: TestStack;
let site: FixtureServer;
let internal: FixtureServer;
/** A bare TCP server on a refused port: a WebSocket the guard let through would connect here. */
let socketServer: Server;
let socketConnections = 0;

const fill = (fixture: string) =>
  readFixture(fixture)
    .toString()
    .replaceAll('{{origin}}', site.origin)
    .replaceAll('{{refused}}', internal.origin)
    .replaceAll('{{refusedPort}}', new URL(internal.origin).port)
    .replaceAll('{{socketHost}}', `127.0.0.1:${(socketServer.address() as AddressInfo).port}`);

beforeAll(async () => {
  [site, internal] = await Promise.all([FixtureServer.start(), FixtureServer.start()]);
  socketServer = createServer((socket) => {
    socketConnections += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => socketServer.listen(0, '127.0.0.1', resolve));
  stack = await startTestStack({ http: { allowedPrivateHosts: [new URL(site.origin).host] } });

  const html = { 'content-type': 'text/html; charset=utf-8' };
  site.route('/feed.xml', { body: fill('hostile/ssrf/feed.xml'), headers: { 'content-type': 'application/rss+xml' } });
  site.route('/articles/harbour', { fixture: 'pages/articles/harbour-story-page-1.html', headers: html });
  site.route('/redirect-inside', { status: 302, headers: { location: internal.url('/secret') } });
  site.route('/listing.html', { body: fill('hostile/ssrf/page-with-private-parts.html'), headers: html });
  site.route('/allowed.png', { status: 204 });
  site.route('/page-redirecting-inside', { status: 302, headers: { location: internal.url('/page.html') } });
  for (const path of ['/secret', '/feed.xml', '/page.html', '/frame.html', '/style.css', '/pixel.png', '/xhr']) {
    internal.route(path, { fixture: 'hostile/ssrf/internal.html', headers: html });
  }
});

afterAll(async () => {
  await stack?.close();
  await Promise.all([site?.close(), internal?.close(), new Promise((resolve) => socketServer?.close(resolve))]);
});

/** The task activity's last attempt, from the run's history: 1 means it was never retried. */
async function taskAttempts(runId: string): Promise<number> {
  const history = await stack.client.workflow.getHandle(runId).fetchHistory();
  const attempts = (history.events ?? []).flatMap((event) =>
    event.activityTaskStartedEventAttributes ? [event.activityTaskStartedEventAttributes.attempt ?? 0] : [],
  );
  expect(attempts.length).toBeGreaterThan(0);
  return Math.max(...attempts);
}

const savedItems = (runId: string) =>
  stack.db.selectFrom('items').select(['url', 'text']).where('run_id', '=', runId).orderBy('id').execute();

describe('the private-address guard through the dev server', () => {
  it('parse_now reads the allowed article and nothing behind links to private addresses or a redirect inside', async () => {
    const stream = await createStream(stack.app, {
      name: 'planted links',
      type: 'rss_feed',
      config: { url: site.url('/feed.xml'), parse_now: true },
    });

    const run = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id));

    expect(run.status, JSON.stringify(run.error)).toBe('completed');
    expect(run.result?.counts).toMatchObject({ new: 5, enriched: 1 });
    const items = await savedItems(run.id);
    expect(items.map((item) => [item.url, item.text !== null])).toEqual([
      [site.url('/articles/harbour'), true],
      ['http://169.254.169.254/latest/meta-data/iam/security-credentials/', false],
      [`http://127.0.0.2:${new URL(internal.origin).port}/secret`, false],
      [internal.url('/secret'), false],
      [site.url('/redirect-inside'), false],
    ]);
    expect(items.some((item) => item.text?.includes('INTERNAL-SECRET'))).toBe(false);
    // Not one request reached the internal service: not the page, not its robots.txt.
    expect(internal.requests).toEqual([]);
    expect(site.requestsTo('/redirect-inside')).toHaveLength(1);
  });

  it('fails a run whose feed is on a refused host at once, naming the host and the rule, without a retry', async () => {
    const stream = await createStream(stack.app, {
      name: 'internal feed',
      type: 'rss_feed',
      config: { url: internal.url('/feed.xml') },
    });

    const run = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id));

    expect(run.status).toBe('failed');
    expect(run.error?.type).toBe(FailureType.PrivateAddressRefused);
    expect(run.error?.message).toContain(
      `refused ${internal.url('/feed.xml')}: 127.0.0.1 is loopback (127.0.0.0/8) — set HTTP_ALLOWED_PRIVATE_HOSTS to allow it`,
    );
    expect(await taskAttempts(run.id)).toBe(1);
    expect(internal.requests).toEqual([]);
  });

  it('fails a run whose feed redirects to the metadata address, naming the rule, after one request', async () => {
    site.route('/feed-to-metadata.xml', {
      status: 301,
      headers: { location: 'http://169.254.169.254/latest/meta-data/' },
    });
    const stream = await createStream(stack.app, {
      name: 'metadata feed',
      type: 'rss_feed',
      config: { url: site.url('/feed-to-metadata.xml') },
    });

    const run = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id));

    expect(run.status).toBe('failed');
    expect(run.error?.type).toBe(FailureType.PrivateAddressRefused);
    expect(run.error?.message).toContain('169.254.169.254 is link-local (metadata)');
    expect(site.requestsTo('/feed-to-metadata.xml')).toHaveLength(1);
  });
});

describe('the private-address guard in Chromium', () => {
  it("loads a page's allowed parts and none of its private ones: image, stylesheet, iframe, fetch, WebSocket", async () => {
    const stream = await createStream(stack.app, {
      name: 'page with private parts',
      type: 'playwright_link_extractor',
      config: { url: site.url('/listing.html'), link_selector: 'a.story', wait_until: 'load' },
    });

    const run = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id), 60_000);

    expect(run.status, JSON.stringify(run.error)).toBe('completed');
    expect(run.result?.counts).toMatchObject({ found: 1, new: 1 });
    // The route let the allowed image through, so the guard did not just block everything.
    await waitFor(() => site.requestsTo('/allowed.png')[0], 5000);
    expect(internal.requests.map((request) => request.path)).toEqual([]);
    expect(socketConnections).toBe(0);
  });

  it('fails a page whose navigation redirects to a refused address, without a retry and without reaching it', async () => {
    const stream = await createStream(stack.app, {
      name: 'page redirecting inside',
      type: 'playwright_link_extractor',
      config: { url: site.url('/page-redirecting-inside'), link_selector: 'a' },
    });

    const run = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id), 60_000);

    expect(run.status).toBe('failed');
    expect(run.error?.type).toBe(FailureType.PrivateAddressRefused);
    expect(run.error?.message).toContain('127.0.0.1 is loopback');
    expect(await taskAttempts(run.id)).toBe(1);
    expect(internal.requests).toEqual([]);
  });

  it('fails a page on a refused host before Chromium opens it', async () => {
    const stream = await createStream(stack.app, {
      name: 'internal page',
      type: 'playwright_link_extractor',
      config: { url: internal.url('/page.html'), link_selector: 'a' },
    });

    const run = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id), 60_000);

    expect(run.status).toBe('failed');
    expect(run.error?.type).toBe(FailureType.PrivateAddressRefused);
    expect(internal.requests).toEqual([]);
  });
});

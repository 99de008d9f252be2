import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { streamListResponse, streamResponse } from '../../src/api/openapi/response-schemas.js';
import { newId } from '../../src/db/ids.js';
import { insertSource } from '../../src/db/sources-repository.js';
import { createLogger } from '../../src/logger.js';
import { reconcileDatabaseSchedules, scheduleIdFor } from '../../src/temporal/schedules.js';
import { createStream, startRun, waitFor, waitForRunToClose } from '../helpers/api.js';
import { FixtureServer } from '../helpers/fixture-server.js';
import { createScratchDatabase } from '../helpers/postgres.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';
import { freePort } from '../helpers/free-port.js';

// One bad record among good ones, or one stream Temporal refuses among good ones: the rest goes on.

let stack: TestStack;
let site: FixtureServer;
const children: ChildProcess[] = [];
const postgresAdminUrl = inject('postgresAdminUrl');

beforeAll(async () => {
  [stack, site] = await Promise.all([startTestStack(), FixtureServer.start()]);
  site.route('/sitemap.xml', { fixture: 'hostile/records/sitemap-bad-loc.xml' });
  site.route('/sitemap-index.xml', { fixture: 'hostile/records/sitemap-index-bad-child.xml', withOrigin: true });
  site.route('/feed.xml', {
    fixture: 'hostile/records/feed-nul-title.xml',
    headers: { 'content-type': 'application/rss+xml' },
  });
  site.route('/feed.json', {
    fixture: 'hostile/records/feed-lone-surrogate.json',
    headers: { 'content-type': 'application/feed+json' },
  });
  site.route('/news/ferry', {
    fixture: 'hostile/records/article-javascript-canonical.html',
    headers: { 'content-type': 'text/html' },
  });
});

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await stack?.close();
  await site?.close();
});

const savedItems = (target: TestStack, runId: string) =>
  target.db
    .selectFrom('items')
    .select(['canonical_url', 'title', 'summary', 'author'])
    .where('run_id', '=', runId)
    .orderBy('id')
    .execute();

describe('a record that is not what it should be is skipped, not fatal', () => {
  it('a sitemap with a javascript:, a broken and a 9 KB <loc> among good ones completes with the good ones and one warning per reason', async () => {
    const stream = await createStream(stack.app, {
      name: 'spoiled sitemap',
      type: 'sitemap_blog',
      config: { sitemap_url: site.url('/sitemap.xml') },
    });

    const run = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id));

    expect(run.status, JSON.stringify(run.error)).toBe('completed');
    expect(run.result?.attempt).toBe(1);
    expect(run.result?.counts).toMatchObject({ found: 6, collected: 3, new: 3 });
    expect((await savedItems(stack, run.id)).map((item) => item.canonical_url)).toEqual([
      'https://news.example.test/2026/11/24/port-strike-ends',
      'https://news.example.test/2026/11/23/tide-tables',
      'https://news.example.test/2026/11/22/market-report',
    ]);
    expect(run.result?.warnings).toEqual([
      'skipped 2 entries whose URL is not an http(s) address: first «javascript:alert(document.cookie)»',
      expect.stringMatching(
        /^skipped 1 entry whose URL is longer than 8 KB: first «https:\/\/shop\.example\.test\/p\?q+…»$/,
      ),
    ]);
  });

  it('a sitemap index whose newest children are no URLs reads the good child and says what it skipped', async () => {
    const stream = await createStream(stack.app, {
      name: 'spoiled index',
      type: 'sitemap_blog',
      config: { sitemap_url: site.url('/sitemap-index.xml'), follow_next: true },
    });

    const run = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id));

    expect(run.status, JSON.stringify(run.error)).toBe('completed');
    expect(run.result?.counts).toMatchObject({ collected: 3 });
    expect(run.result?.warnings).toContain(
      'skipped 2 child sitemaps whose URL is not an http(s) address: first «http://[broken/sitemap.xml»',
    );
  });

  it('an rss_feed entry linking to javascript: is skipped with a warning; a NUL and control characters never reach the row', async () => {
    const stream = await createStream(stack.app, {
      name: 'feed with a nul',
      type: 'rss_feed',
      config: { url: site.url('/feed.xml') },
    });

    const run = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id));

    expect(run.status, JSON.stringify(run.error)).toBe('completed');
    expect(run.result?.counts).toMatchObject({ found: 3, collected: 2, new: 2 });
    expect(run.result?.warnings).toEqual([
      'skipped 1 entry whose URL is not an http(s) address: first «javascript:alert(1)»',
    ]);
    expect(await savedItems(stack, run.id)).toEqual([
      {
        canonical_url: 'https://gazette.example.test/2026/11/24/ferry-strike-ends',
        title: 'Ferry strike ends',
        summary: 'Crews return to work on Monday.',
        author: null,
      },
      {
        canonical_url: 'https://gazette.example.test/2026/11/23/tide-tables',
        title: 'Tide tables for December',
        summary: null,
        author: null,
      },
    ]);
  });
});

describe('an item address is an http(s) URL', () => {
  it("web_article keeps the page's own URL when its rel=canonical is a javascript: address", async () => {
    const stream = await createStream(stack.app, {
      name: 'javascript canonical',
      type: 'web_article',
      config: { base_url: site.url('/news/ferry') },
    });

    const run = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id));

    expect(run.status, JSON.stringify(run.error)).toBe('completed');
    const rows = await stack.db
      .selectFrom('items')
      .select(['url', 'canonical_url', 'title'])
      .where('run_id', '=', run.id)
      .execute();
    expect(rows).toEqual([
      {
        url: site.url('/news/ferry'),
        canonical_url: site.url('/news/ferry'),
        title: 'Winter ferry timetable cuts evening crossings',
      },
    ]);
  });
});

describe.runIf(postgresAdminUrl)('a feed of NULs and lone surrogates on PostgreSQL, which refuses NUL', () => {
  let pgStack: TestStack;

  beforeAll(async () => {
    pgStack = await startTestStack({
      databaseUrl: await createScratchDatabase(postgresAdminUrl, `hostile_${randomUUID().replace(/-/g, '')}`),
    });
  });

  afterAll(async () => {
    await pgStack?.close();
  });

  it('saves the RSS entry whose title holds a NUL in one attempt', async () => {
    const stream = await createStream(pgStack.app, {
      name: 'pg feed with a nul',
      type: 'rss_feed',
      config: { url: site.url('/feed.xml') },
    });

    const run = await waitForRunToClose(pgStack.app, await startRun(pgStack.app, stream.id));

    expect(run.status, JSON.stringify(run.error)).toBe('completed');
    expect(run.result?.counts).toMatchObject({ collected: 2, new: 2 });
    // Before, saveItems failed here on every attempt ("invalid byte sequence for encoding UTF8: 0x00").
    const history = await pgStack.client.workflow.getHandle(run.id).fetchHistory();
    const attempts = (history.events ?? []).flatMap((event) =>
      event.activityTaskStartedEventAttributes ? [event.activityTaskStartedEventAttributes.attempt] : [],
    );
    expect(attempts.length).toBeGreaterThanOrEqual(2);
    expect(attempts.every((attempt) => attempt === 1)).toBe(true);
    expect((await savedItems(pgStack, run.id))[0]).toMatchObject({
      title: 'Ferry strike ends',
      summary: 'Crews return to work on Monday.',
    });
  });

  it('saves the JSON Feed items whose texts hold NULs and half surrogate pairs, without them', async () => {
    const stream = await createStream(pgStack.app, {
      name: 'pg json feed',
      type: 'rss_feed',
      config: { url: site.url('/feed.json') },
    });

    const run = await waitForRunToClose(pgStack.app, await startRun(pgStack.app, stream.id));

    expect(run.status, JSON.stringify(run.error)).toBe('completed');
    expect(await savedItems(pgStack, run.id)).toEqual([
      {
        canonical_url: 'https://wire.example.test/1',
        title: 'Half an emoji  and a NUL  here',
        summary: 'Body  with  stray  characters',
        author: 'Desk',
      },
      { canonical_url: 'https://wire.example.test/2', title: 'Clean story', summary: 'Nothing odd.', author: null },
    ]);
  });
});

describe('a stream whose schedule Temporal refuses never stops the stack', () => {
  /** A stream saved before crons were checked: written straight into the database, as legacy data is. */
  async function legacyStreamWithCron(target: TestStack, name: string, cron: string): Promise<string> {
    const source = await insertSource(target.db, { name });
    const now = new Date().toISOString();
    const id = newId('str');
    await target.db
      .insertInto('streams')
      .values({
        id,
        name,
        task_type: 'rss_feed',
        config: JSON.stringify({
          url: site.url('/feed.xml'),
          max_items: 10,
          respect_robots_txt: true,
          parse_now: false,
          parse_now_max: 20,
        }),
        source_id: source.id,
        run_policy: null,
        frequency: JSON.stringify({ cron, timezone: 'UTC' }),
        overlap_policy: 'skip',
        pause_note: null,
        status: 'active',
        created_at: now,
        updated_at: now,
        last_run_id: null,
        last_run_status: null,
        last_run_at: null,
        last_run_counts: null,
        last_run_error: null,
        schedule_status: 'ok',
        schedule_error: null,
        health: 'healthy',
        consecutive_failures: 0,
      })
      .execute();
    return id;
  }

  it('the API refuses such a cron with 400 at body.frequency.cron, naming the field and its range', async () => {
    const response = await stack.app.inject({
      method: 'POST',
      url: '/streams',
      payload: {
        name: 'bad cron',
        type: 'rss_feed',
        config: { url: site.url('/feed.xml') },
        frequency: { cron: '99 * * * *' },
      },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json<{ error: { issues: unknown[] } }>().error.issues).toEqual([
      { path: 'body.frequency.cron', message: 'minute 99 is out of range 0-59' },
    ]);
  });

  it('the reconcile at start records scheduleStatus error with the reason, still creates the good schedules, and DELETE works', async () => {
    const bad = await legacyStreamWithCron(stack, 'legacy bad cron', '99 * * * *');
    const good = await createStream(stack.app, {
      name: 'good neighbour',
      type: 'rss_feed',
      config: { url: site.url('/feed.xml') },
      frequency: '1hour',
    });
    await stack.client.schedule.getHandle(scheduleIdFor(good.id)).delete();

    const report = await reconcileDatabaseSchedules(stack.client, stack.db, stack.taskQueue, createLogger('silent'));

    expect(report.failed).toBe(1);
    expect(report.created).toBeGreaterThanOrEqual(1);
    await stack.client.schedule.getHandle(scheduleIdFor(good.id)).describe();
    const shown = streamResponse.parse((await stack.app.inject({ method: 'GET', url: `/streams/${bad}` })).json());
    expect(shown.scheduleStatus).toBe('error');
    expect(shown.scheduleError).toMatch(/minute|range/i);
    const listed = streamListResponse.parse(
      (await stack.app.inject({ method: 'GET', url: '/streams?limit=500' })).json(),
    );
    expect(listed.streams.find((stream) => stream.id === bad)).toMatchObject({ scheduleStatus: 'error' });
    expect(listed.streams.find((stream) => stream.id === good.id)).toMatchObject({
      scheduleStatus: 'ok',
      scheduleError: null,
    });

    const fixed = await stack.app.inject({
      method: 'PATCH',
      url: `/streams/${bad}`,
      payload: { frequency: { cron: '9 * * * *' } },
    });
    expect(fixed.statusCode, fixed.body).toBe(200);
    expect(streamResponse.parse(fixed.json())).toMatchObject({ scheduleStatus: 'ok', scheduleError: null });

    const again = await legacyStreamWithCron(stack, 'legacy bad cron 2', '0 0 * 13 *');
    await reconcileDatabaseSchedules(stack.client, stack.db, stack.taskQueue, createLogger('silent'));
    expect((await stack.app.inject({ method: 'DELETE', url: `/streams/${again}` })).statusCode).toBe(204);
    expect((await stack.app.inject({ method: 'GET', url: `/streams/${again}` })).statusCode).toBe(404);
  });

  it('the API process (src/server.ts) starts, logs the stream it could not schedule, and serves it with the reason', async () => {
    const bad = await legacyStreamWithCron(stack, 'legacy cron for the process', '0 25 * * *');
    const port = await freePort();
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(new URL('../../src/server.ts', import.meta.url))],
      {
        env: {
          ...process.env,
          DATABASE_URL: stack.databaseUrl,
          TEMPORAL_ADDRESS: inject('temporalAddress'),
          TEMPORAL_TASK_QUEUE: stack.taskQueue,
          API_HOST: '127.0.0.1',
          API_PORT: String(port),
          LOG_LEVEL: 'info',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    children.push(child);
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    let exitCode: number | null = null;
    child.once('exit', (code) => (exitCode = code));

    const stream = await waitFor(async () => {
      if (exitCode !== null) throw new Error(`the API process exited with ${exitCode}:\n${output}`);
      try {
        const response = await fetch(`http://127.0.0.1:${port}/streams/${bad}`);
        return response.ok ? streamResponse.parse(await response.json()) : undefined;
      } catch {
        return undefined;
      }
    }, 60_000);

    expect(stream).toMatchObject({ id: bad, scheduleStatus: 'error' });
    expect(stream.scheduleError).toMatch(/hour|range/i);
    const logLine = output
      .split('\n')
      .find((line) => line.includes(bad) && line.includes('schedule could not be synced'));
    expect(logLine, output).toBeDefined();
    expect((await fetch(`http://127.0.0.1:${port}/streams/${bad}`, { method: 'DELETE' })).status).toBe(204);
    child.kill('SIGTERM');
  });
});

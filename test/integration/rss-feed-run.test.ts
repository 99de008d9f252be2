import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FailureType } from '../../schemas/failure-types.js';
import { searchAttributes } from '../../schemas/temporal-names.js';
import type { Stream } from '../../src/db/streams-repository.js';
import { createStream, startRun, waitFor, waitForRunToClose, getRun } from '../helpers/api.js';
import { FixtureServer } from '../helpers/fixture-server.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';

let stack: TestStack;
let site: FixtureServer;

beforeAll(async () => {
  [stack, site] = await Promise.all([startTestStack(), FixtureServer.start()]);
});

afterAll(async () => {
  await stack?.close();
  await site?.close();
});

async function itemCount(streamId: string): Promise<number> {
  const row = await stack.db
    .selectFrom('items')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('stream_id', '=', streamId)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

describe('an rss_feed stream run, end to end through the API, the dev server and SQLite', () => {
  it('collects the feed, saves its items once, and shows the run with its search attributes', async () => {
    const feedUrl = site.route('/news/feed.xml', {
      headers: { 'content-type': 'application/rss+xml' },
      fixture: 'feeds/rss2-news.xml',
    });
    const stream = await createStream(stack.app, {
      name: 'harbour gazette',
      type: 'rss_feed',
      config: { url: feedUrl, max_items: 50 },
    });

    const runId = await startRun(stack.app, stream.id);
    expect(runId.startsWith(stream.id)).toBe(true);
    const run = await waitForRunToClose(stack.app, runId);

    expect(run.status).toBe('completed');
    // 6 entries: one has no link, one repeats another after canonicalisation.
    expect(run.result?.counts).toEqual({ found: 6, collected: 4, new: 4, duplicate: 0 });
    expect(run.result?.attempt).toBe(1);
    expect(run.streamId).toBe(stream.id);
    expect(run.taskType).toBe('rss_feed');

    const items = await stack.db
      .selectFrom('items')
      .selectAll()
      .where('run_id', '=', runId)
      .orderBy('canonical_url')
      .execute();
    expect(items.map((item) => item.canonical_url)).toEqual(
      [
        'https://news.example.test/2026/11/letters-lighthouse',
        'https://news.example.test/2026/11/ferry-timetable',
        'https://news.example.test/2026/11/fish-market',
        'https://news.example.test/2026/11/storm-warning',
      ].sort(),
    );
    const ferry = items.find((item) => item.canonical_url.endsWith('ferry-timetable'));
    expect(ferry?.title).toBe('Council approves new ferry timetable');
    expect(ferry?.author).toBe('Ines Moreau');
    expect(ferry?.published_at).toBe('2026-11-23T18:05:00.000Z');
    expect(ferry?.source_id).toBe(stream.sourceId);

    const description = await stack.client.workflow.getHandle(runId).describe();
    expect(description.typedSearchAttributes.get(searchAttributes.streamId)).toBe(stream.id);
    expect(description.typedSearchAttributes.get(searchAttributes.taskType)).toBe('rss_feed');
    expect(description.typedSearchAttributes.get(searchAttributes.trigger)).toBe('manual');
    expect(await description.staticSummary()).toContain('harbour gazette');

    const listed = await waitFor(async () => {
      const found: string[] = [];
      for await (const execution of stack.client.workflow.list({ query: `NewloomStreamId = '${stream.id}'` }))
        found.push(execution.workflowId);
      return found.includes(runId) ? found : undefined;
    });
    expect(listed).toContain(runId);

    const storedStream = (await stack.app.inject({ method: 'GET', url: `/streams/${stream.id}` })).json<Stream>();
    expect(storedStream.lastRun).toMatchObject({ runId, status: 'completed', counts: { new: 4 } });

    const metrics = (await stack.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/newloom_runs_started_total\{task_type="rss_feed",trigger="manual"\} [1-9]/);
  });

  it('never stores an item twice: a second run finds only duplicates', async () => {
    const feedUrl = site.route('/atom.xml', { fixture: 'feeds/atom-blog.xml' });
    const stream = await createStream(stack.app, { name: 'example blog', type: 'rss_feed', config: { url: feedUrl } });

    const first = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id));
    const second = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id));

    expect(first.result?.counts).toMatchObject({ collected: 2, new: 2, duplicate: 0 });
    expect(second.result?.counts).toMatchObject({ collected: 2, new: 0, duplicate: 2 });
    expect(await itemCount(stream.id)).toBe(2);
  });

  it('fails at once, without retrying, when the feed answers 404', async () => {
    const feedUrl = site.route('/gone.xml', { status: 404, body: 'not here' });
    const stream = await createStream(stack.app, { name: 'gone feed', type: 'rss_feed', config: { url: feedUrl } });

    const run = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id));

    expect(run.status).toBe('failed');
    expect(run.error).toMatchObject({ type: FailureType.HttpPermanent });
    expect(run.error?.message).toContain('404');
    expect(site.requestsTo('/gone.xml')).toHaveLength(1);
    const storedStream = (await stack.app.inject({ method: 'GET', url: `/streams/${stream.id}` })).json<Stream>();
    expect(storedStream.lastRun).toMatchObject({ status: 'failed' });
    expect(storedStream.lastRun?.error).toContain('404');
  });

  it('fails without retrying when the body is not a feed', async () => {
    const feedUrl = site.route('/home.html', {
      headers: { 'content-type': 'text/html' },
      fixture: 'pages/not-a-feed.html',
    });
    const stream = await createStream(stack.app, {
      name: 'home page by mistake',
      type: 'rss_feed',
      config: { url: feedUrl },
    });

    const run = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id));

    expect(run.status).toBe('failed');
    expect(run.error?.type).toBe(FailureType.NotAFeed);
    expect(site.requestsTo('/home.html')).toHaveLength(1);
  });

  it('reads a feed cut off mid-transfer as feedparser does, and says it was repaired', async () => {
    const feedUrl = site.route('/cut-off.xml', {
      headers: { 'content-type': 'application/rss+xml' },
      fixture: 'feeds/forgiving/rss092-oreilly-cut-off.xml',
    });
    const stream = await createStream(stack.app, { name: 'cut-off feed', type: 'rss_feed', config: { url: feedUrl } });

    const run = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id));

    expect(run.status).toBe('completed');
    expect(await itemCount(stream.id)).toBe(2);
    expect(run.result?.warnings).toEqual([
      'the feed is not well-formed XML (elements left open); it was repaired and read as far as it goes',
    ]);
  });

  it('retries 503s with backoff and completes on the third attempt', async () => {
    const feedUrl = site.route('/flaky.xml', { status: 503 }, { status: 503 }, { fixture: 'feeds/rdf-rss1.xml' });
    const stream = await createStream(stack.app, { name: 'flaky feed', type: 'rss_feed', config: { url: feedUrl } });

    const run = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id));

    expect(run.status).toBe('completed');
    expect(run.progress?.attempt).toBe(3);
    expect(run.result?.counts.new).toBe(1);
    const attempts = site.requestsTo('/flaky.xml');
    expect(attempts).toHaveLength(3);
    // Exponential backoff from a 1 s initial interval: about 1 s, then about 2 s.
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(900);
    expect(attempts[2]!.at - attempts[1]!.at).toBeGreaterThanOrEqual(1800);
  });

  it('cancels a run while the feed server holds the response: the connection closes and the run ends cancelled', async () => {
    const feedUrl = site.route('/slow.xml', { hold: true, headers: { 'content-type': 'application/rss+xml' } });
    const stream = await createStream(stack.app, { name: 'slow feed', type: 'rss_feed', config: { url: feedUrl } });
    const runId = await startRun(stack.app, stream.id);
    const held = await waitFor(() => site.requestsTo('/slow.xml')[0]);

    const cancelledAt = Date.now();
    const cancel = await stack.app.inject({ method: 'POST', url: `/runs/${runId}/cancel` });
    expect(cancel.statusCode).toBe(202);

    const closedAt = await waitFor(() => held.closedAt, 5000);
    expect(closedAt - cancelledAt).toBeLessThan(2000);
    const run = await waitForRunToClose(stack.app, runId);
    expect(run.status).toBe('cancelled');
    const storedStream = (await stack.app.inject({ method: 'GET', url: `/streams/${stream.id}` })).json<Stream>();
    expect(storedStream.lastRun).toMatchObject({ runId, status: 'cancelled' });
    expect(site.requestsTo('/slow.xml')).toHaveLength(1);

    const again = await stack.app.inject({ method: 'POST', url: `/runs/${runId}/cancel` });
    expect(again.statusCode).toBe(409);
  });

  it('is ready when the database and the dev server answer', async () => {
    const response = await stack.app.inject({ method: 'GET', url: '/readyz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ready', checks: { database: 'ok', temporal: 'ok' } });
  });

  it('answers 404 for a run id that does not exist', async () => {
    const response = await stack.app.inject({ method: 'GET', url: '/runs/no-such-run' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    expect((await stack.app.inject({ method: 'POST', url: '/runs/no-such-run/cancel' })).statusCode).toBe(404);
    expect((await stack.app.inject({ method: 'GET', url: '/runs/no-such-run/events' })).statusCode).toBe(404);
    expect((await stack.app.inject({ method: 'GET', url: '/runs/no-such-run/items' })).json()).toMatchObject({
      items: [],
    });
    expect(
      (
        await stack.app.inject({
          method: 'POST',
          url: '/runs',
          payload: '{oops',
          headers: { 'content-type': 'application/json' },
        })
      ).statusCode,
    ).toBe(400);
  });

  it('shows a running run with live progress', async () => {
    const feedUrl = site.route('/held-for-progress.xml', { hold: true });
    const stream = await createStream(stack.app, { name: 'progress feed', type: 'rss_feed', config: { url: feedUrl } });
    const runId = await startRun(stack.app, stream.id);
    await waitFor(() => site.requestsTo('/held-for-progress.xml')[0]);

    const run = await getRun(stack.app, runId);
    expect(run.status).toBe('running');
    expect(run.progress?.phase).toBe('collecting');

    await stack.app.inject({ method: 'POST', url: `/runs/${runId}/cancel` });
    expect((await waitForRunToClose(stack.app, runId)).status).toBe('cancelled');
  });
});

import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeBotApi } from '../helpers/fake-bot-api.js';
import { FakeModelApi } from '../helpers/fake-model-api.js';
import { FixtureServer } from '../helpers/fixture-server.js';
import { waitFor } from '../helpers/api.js';
import { call, startTestCluster, waitForRun, type TestCluster } from './cluster.js';

const TOKEN = '123456789:AAH-cluster-test-token-kept-secret_c9';
// Attempts whose worker vanished are noticed by their heartbeat timeout, kept short here.
const quickRecovery = { heartbeatTimeoutSeconds: 4, initialIntervalSeconds: 0.2 };

let cluster: TestCluster;
let site: FixtureServer;
let telegram: FakeBotApi;
let model: FakeModelApi;

beforeAll(async () => {
  [site, telegram, model] = await Promise.all([FixtureServer.start(), FakeBotApi.start([TOKEN]), FakeModelApi.start()]);
  cluster = await startTestCluster({
    workers: 2,
    workerEnv: {
      TELEGRAM_API_BASE_URL: telegram.origin,
      TELEGRAM_BOT_TOKEN: TOKEN,
      ANTHROPIC_BASE_URL: model.origin,
      ANTHROPIC_API_KEY: 'sk-ant-cluster-test-key',
    },
  });
});

afterAll(async () => {
  await cluster?.close();
  await Promise.all([site?.close(), telegram?.close(), model?.close()]);
});

type Created = { id: string; sourceId: string };

async function createStream(body: Record<string, unknown>): Promise<Created> {
  const { status, body: stream } = await call<Created>(cluster, 'POST', '/streams', body);
  expect(status, JSON.stringify(stream)).toBe(201);
  return stream;
}

async function runNow(streamId: string, query = ''): Promise<string> {
  const { status, body } = await call<{ runId: string }>(cluster, 'POST', `/streams/${streamId}/runs${query}`);
  expect(status, JSON.stringify(body)).toBe(202);
  return body.runId;
}

const itemsOfRun = (runId: string) =>
  cluster.db.selectFrom('items').select(['canonical_url']).where('run_id', '=', runId).execute();

describe('NewLoom on a real Temporal server with PostgreSQL, its API and two workers in processes of their own', () => {
  it('collects on demand and on schedule; run history answers from PostgreSQL visibility, the active-run check from the database', async () => {
    const feedUrl = site.route('/cluster-news.xml', { fixture: 'feeds/rss2-news.xml' });
    const stream = await createStream({
      name: 'cluster feed',
      type: 'rss_feed',
      config: { url: feedUrl, respect_robots_txt: false },
      frequency: '1hour',
    });

    const runId = await runNow(stream.id);
    const run = await waitForRun(cluster, runId);
    expect(run).toMatchObject({ status: 'completed', result: { counts: { new: 4, duplicate: 0 } } });
    expect(await itemsOfRun(runId)).toHaveLength(4);

    // The schedule is the server's: fire it now instead of waiting an hour.
    const connection = await Connection.connect({ address: cluster.temporalAddress });
    try {
      await new Client({ connection }).schedule.getHandle(`stream-${stream.id}`).trigger();
    } finally {
      await connection.close();
    }
    const history = await waitFor(async () => {
      const { body } = await call<{ runs: Array<{ id: string; status: string; trigger: string }> }>(
        cluster,
        'GET',
        `/streams/${stream.id}/runs`,
      );
      const scheduled = body.runs.find((entry) => entry.trigger === 'schedule' && entry.status === 'completed');
      return scheduled ? body.runs : undefined;
    }, 60_000);
    expect(history.map((entry) => entry.trigger).sort()).toEqual(['manual', 'schedule']);

    // A run held open by its feed: a second "run now" is refused while the run holds the stream.
    const slowUrl = site.route('/cluster-slow.xml', { hold: true }, { fixture: 'feeds/rss2-news.xml' });
    const slow = await createStream({
      name: 'cluster slow feed',
      type: 'rss_feed',
      config: { url: slowUrl, respect_robots_txt: false },
      runPolicy: { ...quickRecovery, startToCloseTimeoutSeconds: 30 },
    });
    const slowRun = await runNow(slow.id);
    await waitFor(() => (site.requestsTo('/cluster-slow.xml').length === 1 ? true : undefined), 30_000);
    const second = await waitFor(async () => {
      const answer = await call(cluster, 'POST', `/streams/${slow.id}/runs`);
      return answer.status === 409 ? answer : undefined;
    }, 20_000);
    expect(second.body).toMatchObject({ error: { code: 'RUN_IN_PROGRESS' } });
    await call(cluster, 'POST', `/runs/${slowRun}/cancel`);
    expect((await waitForRun(cluster, slowRun)).status).toBe('cancelled');

    // Starts racing on PostgreSQL: the stream's row lock lets exactly one of them in.
    const raceUrl = site.route('/cluster-race.xml', { hold: true }, { fixture: 'feeds/rss2-news.xml' });
    const race = await createStream({
      name: 'cluster race',
      type: 'rss_feed',
      config: { url: raceUrl, respect_robots_txt: false },
      runPolicy: { ...quickRecovery, startToCloseTimeoutSeconds: 30 },
    });
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => call(cluster, 'POST', `/streams/${race.id}/runs`)),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([202, 409, 409, 409, 409, 409]);
    const raceRun = (answers.find((answer) => answer.status === 202)!.body as { runId: string }).runId;
    await call(cluster, 'POST', `/runs/${raceRun}/cancel`);
    expect((await waitForRun(cluster, raceRun)).status).toBe('cancelled');
  });

  it('loses nothing when a worker is SIGKILLed mid-run: the other worker finishes it and the items are saved once', async () => {
    const feedUrl = site.route('/cluster-crash.xml', { hold: true }, { fixture: 'feeds/rss2-news.xml' });
    const stream = await createStream({
      name: 'cluster crash feed',
      type: 'rss_feed',
      config: { url: feedUrl, respect_robots_txt: false },
      runPolicy: quickRecovery,
    });
    const before = new Set(cluster.workers.map((worker) => worker.pid));
    const runId = await runNow(stream.id);
    await waitFor(() => (site.requestsTo('/cluster-crash.xml').length === 1 ? true : undefined), 30_000);
    // Whichever worker holds the request: kill one, and if the run survives it was either the holder
    // (then the other retries) or not (then the holder finishes). Killing both would prove nothing; kill
    // the first and keep a replacement ready so the test never depends on which one it was.
    const [victim] = cluster.workers;
    await victim?.stop('SIGKILL');
    await cluster.startWorker();
    const run = await waitForRun(cluster, runId);
    expect(run.status).toBe('completed');
    expect(await itemsOfRun(runId)).toHaveLength(4);
    expect(before.has(victim?.pid ?? -1)).toBe(true);
  });

  it('posts each item once through a crash of the Temporal server mid-run, and runs again after it', async () => {
    const feedUrl = site.route('/cluster-publish.xml', { fixture: 'feeds/rss2-news.xml' });
    const collector = await createStream({
      name: 'cluster publish source',
      type: 'rss_feed',
      config: { url: feedUrl, respect_robots_txt: false },
    });
    expect((await waitForRun(cluster, await runNow(collector.id))).status).toBe('completed');

    const publisher = await createStream({
      name: 'cluster publisher',
      type: 'telegram_publish',
      config: { channel_id: '@cluster_channel', sources: [collector.sourceId], delay_between_messages: 2 },
      runPolicy: quickRecovery,
    });
    const runId = await runNow(publisher.id);
    const sent = () => telegram.calls.filter((entry) => entry.chatId === '@cluster_channel');
    await waitFor(() => (sent().length >= 1 ? true : undefined), 60_000);
    await cluster.crashAndRestartTemporal();

    const run = await waitForRun(cluster, runId, 180_000);
    expect(run.status).toBe('completed');
    const texts = sent().map((entry) => entry.text);
    expect(new Set(texts).size).toBe(texts.length);
    const rows = await cluster.db
      .selectFrom('publications')
      .select(['status'])
      .where('channel', 'like', '%@cluster_channel')
      .execute();
    expect(rows.filter((row) => row.status === 'sent')).toHaveLength(sent().length);

    // Schedules and run now keep working on the restarted server.
    expect((await waitForRun(cluster, await runNow(collector.id))).status).toBe('completed');
  });

  it('writes docs for a medium from what a collection stream saved', async () => {
    const feedUrl = site.route('/cluster-writing.xml', { fixture: 'feeds/rss2-news.xml' });
    const collector = await createStream({
      name: 'cluster writing source',
      type: 'rss_feed',
      config: { url: feedUrl, respect_robots_txt: false },
    });
    expect((await waitForRun(cluster, await runNow(collector.id))).status).toBe('completed');
    const medium = await call<{ id: string }>(cluster, 'POST', '/media', {
      name: 'Cluster Digest',
      sourceIds: [collector.sourceId],
      styleExamples: ['Calm. Short. Facts first.'],
    });
    expect(medium.status, JSON.stringify(medium.body)).toBe(201);

    const writer = await createStream({
      name: 'cluster writer',
      type: 'news_stream',
      config: {
        media_id: medium.body.id,
        system_prompt: 'You edit a digest. Style:\n{examples}',
        user_prompt_template: 'Write up to three stories from:\n{news}',
      },
    });
    const run = await waitForRun(cluster, await runNow(writer.id));
    expect(run.status).toBe('completed');
    expect(run.result?.counts.new).toBeGreaterThan(0);
    const docs = await cluster.db.selectFrom('docs').select(['id']).where('media_id', '=', medium.body.id).execute();
    expect(docs).toHaveLength(run.result?.counts.new ?? -1);
    expect(model.calls.length).toBeGreaterThan(0);
  });

  it('answers the same after the API restarts', async () => {
    const { body: before } = await call<{ streams: unknown[] }>(cluster, 'GET', '/streams');
    const runs = await call(cluster, 'GET', `/streams/${(before.streams[0] as Created).id}/runs`);
    await cluster.restartApi();
    const { body: after } = await call<{ streams: unknown[] }>(cluster, 'GET', '/streams');
    expect(after).toEqual(before);
    expect((await call(cluster, 'GET', `/streams/${(before.streams[0] as Created).id}/runs`)).body).toEqual(runs.body);
    expect((await call(cluster, 'GET', '/readyz')).status).toBe(200);
  });
});

/**
 * Records the histories the determinism guard replays (test/unit/workflow-replay.test.ts): one run per
 * representative path of streamRun, on a throwaway dev server, against the local fixture server.
 * Re-record only when a workflow change is meant to be incompatible (and then version it with patched()).
 * A change of shape gets new scenario names: the old recordings stay, standing for runs still in flight.
 *
 *   npx tsx scripts/record-histories.ts [name ...]   (only the named scenarios; the others keep their recording)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from '@temporalio/worker';
import { buildWorkerActivities } from '../src/temporal/worker-activities.js';
import type { StreamRunInput } from '../schemas/stream-run.js';
import { workflowTypes } from '../schemas/temporal-names.js';
import { openDatabase } from '../src/db/database.js';
import { ensureSourceNamed } from '../src/db/sources-repository.js';
import { insertStream } from '../src/db/streams-repository.js';
import { createLogger } from '../src/logger.js';
import { startLocalTestServer, temporalCliPath } from '../test/helpers/local-test-server.js';
import { installTemporalRuntime } from '../src/temporal/runtime.js';
import { workflowsPath } from '../src/temporal/worker.js';
import { workflowPreloadModules } from '../src/temporal/workflow-preload.js';
import { FixtureServer } from '../test/helpers/fixture-server.js';
import { FakeBotApi } from '../test/helpers/fake-bot-api.js';
import { FakeModelApi } from '../test/helpers/fake-model-api.js';
import { saveItems } from '../src/db/items-repository.js';
import { insertMedia } from '../src/db/media-repository.js';

installTemporalRuntime(createLogger('warn'));
const cliPath = temporalCliPath();
const env = await startLocalTestServer();
const site = await FixtureServer.start();
const botToken = '123456789:AAH-recorder-token-not-a-real-one_00';
const [telegram, model] = await Promise.all([FakeBotApi.start([botToken]), FakeModelApi.start()]);
const db = await openDatabase(`sqlite:${join(mkdtempSync(join(tmpdir(), 'newloom-histories-')), 'db.sqlite')}`);
const taskQueue = 'record-histories';
const worker = await Worker.create({
  connection: env.nativeConnection,
  taskQueue,
  workflowsPath,
  bundlerOptions: { preloadModules: [...workflowPreloadModules] },
  activities: buildWorkerActivities({
    db,
    logger: createLogger('error'),
    http: { userAgent: 'NewLoom-recorder', timeoutMs: 5000, maxBodyBytes: 1 << 20, hostMinIntervalMs: 0 },
    telegram: { apiBaseUrl: telegram.origin, botTokens: { TELEGRAM_BOT_TOKEN: botToken }, timeoutMs: 5000 },
    llm: { apiBaseUrl: model.origin, apiKey: 'sk-recorder', timeoutMs: 5000 },
  }),
  maxHeartbeatThrottleInterval: '1 second',
});

const source = await ensureSourceNamed(db, 'recorded');
const stream = await insertStream(db, { name: 'recorded', taskType: 'rss_feed', config: {}, sourceId: source.id });
const input = (path: string, extra: Partial<StreamRunInput> = {}): StreamRunInput => ({
  streamId: stream.id,
  streamName: stream.name,
  sourceId: source.id,
  taskType: 'rss_feed',
  config: { url: site.url(path) },
  ...extra,
});

// What the publishing and writing runs work from: two fresh items in the source, a medium over it.
await saveItems(db, {
  runId: 'seed',
  streamId: stream.id,
  sourceId: source.id,
  items: [1, 2].map((n) => ({
    url: `https://news.example.test/${n}`,
    canonicalUrl: `https://news.example.test/${n}`,
    title: `Story ${n}`,
    summary: null,
    author: null,
    publishedAt: null,
  })),
});
const media = await insertMedia(db, { name: 'recorded', sourceIds: [source.id], styleExamples: [] });

site.route('/ok.xml', { fixture: 'feeds/rss2-news.xml' });
site.route('/flaky.xml', { status: 503 }, { fixture: 'feeds/atom-blog.xml' });
site.route('/gone.xml', { status: 404 });
site.route('/held.xml', { hold: true });

const scenarios: Array<{ name: string; input: StreamRunInput; cancelAfterMs?: number }> = [
  { name: 'completed', input: input('/ok.xml') },
  { name: 'retried', input: input('/flaky.xml', { runPolicy: { initialIntervalSeconds: 0.2 } }) },
  { name: 'failed-http-404', input: input('/gone.xml') },
  { name: 'cancelled', input: input('/held.xml'), cancelAfterMs: 1500 },
  { name: 'invalid-config', input: { ...input('/ok.xml'), config: { url: 'nope', max_items: 0 } } },
  {
    name: 'published',
    input: {
      ...input('/ok.xml'),
      taskType: 'telegram_publish',
      config: { channel_id: '@recorded_channel', sources: [source.id], delay_between_messages: 0 },
    },
  },
  {
    name: 'docs-written',
    input: {
      ...input('/ok.xml'),
      taskType: 'news_stream',
      config: { media_id: media.id, system_prompt: 'Write briefly.', user_prompt_template: '{news}' },
    },
  },
];
// Recorded after collection activities began saving their own items (the recordings above keep the older
// shape, where the workflow's saveItems step saved them): runs of both shapes must replay.
scenarios.push(
  { name: 'saved-by-task', input: input('/ok.xml') },
  { name: 'dry-run', input: input('/ok.xml', { dryRun: true }) },
  { name: 'failed-with-attempt', input: input('/gone.xml') },
  { name: 'cancelled-with-attempt', input: input('/held.xml'), cancelAfterMs: 1500 },
);
const only = process.argv.slice(2);

await worker.runUntil(async () => {
  for (const scenario of scenarios.filter((candidate) => only.length === 0 || only.includes(candidate.name))) {
    const handle = await env.client.workflow.start(workflowTypes.streamRun, {
      taskQueue,
      workflowId: `replay-${scenario.name}`,
      args: [scenario.input],
    });
    if (scenario.cancelAfterMs) {
      await new Promise((resolve) => setTimeout(resolve, scenario.cancelAfterMs));
      await handle.cancel();
    }
    await handle.result().catch(() => undefined);
    // The CLI's JSON is the format the Web UI downloads and Worker.runReplayHistory reads.
    const history = execFileSync(
      cliPath,
      ['workflow', 'show', '--workflow-id', handle.workflowId, '--output', 'json', '--address', env.address],
      { encoding: 'utf8' },
    );
    writeFileSync(new URL(`../test/fixtures/histories/${scenario.name}.json`, import.meta.url), history);
    console.log(`recorded ${scenario.name}: ${(JSON.parse(history) as { events: unknown[] }).events.length} events`);
  }
});

await db.destroy();
await site.close();
await telegram.close();
await model.close();
await env.teardown();

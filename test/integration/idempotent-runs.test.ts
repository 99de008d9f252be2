import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newloomApi } from '../../src/api/app.js';
import { adHocRunStartedResponse, errorResponse, runStartedResponse } from '../../src/api/openapi/response-schemas.js';
import { reserveIdempotentRun } from '../../src/db/idempotency-repository.js';
import { newRunId } from '../../src/temporal/run-ids.js';
import { createStream, waitFor, waitForRunToClose } from '../helpers/api.js';
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

/** An API process of its own on the same database and Temporal: what a restarted API is. */
async function restartedApi(): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  await app.register(newloomApi, { db: stack.db, temporal: { client: stack.client, taskQueue: stack.taskQueue } });
  await app.ready();
  return app;
}

const runNow = (app: FastifyInstance, streamId: string, key: string | undefined, force = false) =>
  app.inject({
    method: 'POST',
    url: `/streams/${streamId}/runs${force ? '?force=true' : ''}`,
    headers: key === undefined ? {} : { 'idempotency-key': key },
  });

async function feedStream(name: string) {
  const path = `/${name}.xml`;
  site.route(path, { fixture: 'feeds/rss2-news.xml' });
  return {
    stream: await createStream(stack.app, { name, type: 'rss_feed', config: { url: site.url(path) } }),
    fetches: () => site.requestsTo(path).length,
  };
}

describe('Idempotency-Key on POST /streams/:id/runs', () => {
  it('answers the run the first request started, with force, after an API restart and when two requests race', async () => {
    const { stream, fetches } = await feedStream('idempotent');

    const first = await runNow(stack.app, stream.id, 'retry-me-1', true);
    expect(first.statusCode, first.body).toBe(202);
    const { runId } = runStartedResponse.parse(first.json());

    const again = await runNow(stack.app, stream.id, 'retry-me-1', true);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(runStartedResponse.parse(again.json())).toEqual(runStartedResponse.parse(first.json()));

    const restarted = await restartedApi();
    try {
      const afterRestart = await runNow(restarted, stream.id, 'retry-me-1', true);
      expect(afterRestart.statusCode, afterRestart.body).toBe(200);
      expect(runStartedResponse.parse(afterRestart.json()).runId).toBe(runId);
    } finally {
      await restarted.close();
    }
    expect((await waitForRunToClose(stack.app, runId)).status).toBe('completed');
    // Still the same run once it has finished.
    expect(runStartedResponse.parse((await runNow(stack.app, stream.id, 'retry-me-1', true)).json()).runId).toBe(runId);

    const raced = await Promise.all([
      runNow(stack.app, stream.id, 'retry-me-2', true),
      runNow(stack.app, stream.id, 'retry-me-2', true),
      runNow(stack.app, stream.id, 'retry-me-2', true),
    ]);
    expect(raced.map((response) => response.statusCode).sort()).toEqual([200, 200, 202]);
    const racedIds = new Set(raced.map((response) => runStartedResponse.parse(response.json()).runId));
    expect(racedIds.size).toBe(1);
    expect((await waitForRunToClose(stack.app, [...racedIds][0] ?? '')).status).toBe('completed');

    // Two keys, two runs: the feed was fetched once by each, and by nothing else.
    expect(fetches()).toBe(2);
    // Another stream's key space is its own.
    const other = await feedStream('idempotent-other');
    const elsewhere = await runNow(stack.app, other.stream.id, 'retry-me-1');
    expect(elsewhere.statusCode).toBe(202);
    expect(runStartedResponse.parse(elsewhere.json()).runId).not.toBe(runId);
    await waitForRunToClose(stack.app, runStartedResponse.parse(elsewhere.json()).runId);
  });

  it('starts the run a first request reserved but died before starting', async () => {
    const { stream, fetches } = await feedStream('reserved');
    const reservedId = newRunId(stream.id);
    await reserveIdempotentRun(stack.db, {
      scope: `stream:${stream.id}`,
      key: 'died-after-reserving',
      runId: reservedId,
    });

    const replay = await runNow(stack.app, stream.id, 'died-after-reserving');

    expect(replay.statusCode, replay.body).toBe(200);
    expect(runStartedResponse.parse(replay.json()).runId).toBe(reservedId);
    expect((await waitForRunToClose(stack.app, reservedId)).status).toBe('completed');
    expect(fetches()).toBe(1);
  });

  it('gives the key back when the run was refused (409), and starts a new run for a key older than 24 hours', async () => {
    site.route('/held.xml', { hold: true });
    const stream = await createStream(stack.app, {
      name: 'expired key',
      type: 'rss_feed',
      config: { url: site.url('/held.xml') },
    });
    const dayAgo = new Date(Date.now() - 25 * 60 * 60 * 1000);
    const oldRunId = newRunId(stream.id, dayAgo);
    await reserveIdempotentRun(stack.db, {
      scope: `stream:${stream.id}`,
      key: 'yesterday',
      runId: oldRunId,
      now: dayAgo,
    });

    const fresh = await runNow(stack.app, stream.id, 'yesterday');
    expect(fresh.statusCode, fresh.body).toBe(202);
    const freshId = runStartedResponse.parse(fresh.json()).runId;
    expect(freshId).not.toBe(oldRunId);

    // While that run waits on its feed, a new key without force is a 409, and the key stays free.
    await waitFor(async () => {
      for await (const execution of stack.client.workflow.list({
        query: `WorkflowId = '${freshId}' AND ExecutionStatus = 'Running'`,
      }))
        return execution;
      return undefined;
    });
    const refused = await runNow(stack.app, stream.id, 'while-busy');
    expect(refused.statusCode, refused.body).toBe(409);
    expect(
      await stack.db
        .selectFrom('idempotency_keys')
        .select('run_id')
        .where('scope', '=', `stream:${stream.id}`)
        .execute(),
    ).toEqual([{ run_id: freshId }]);

    expect((await stack.app.inject({ method: 'POST', url: `/runs/${freshId}/cancel` })).statusCode).toBe(202);
    expect((await waitForRunToClose(stack.app, freshId)).status).toBe('cancelled');
  });

  it('refuses a malformed key with 400 naming the header, before anything starts', async () => {
    const { stream, fetches } = await feedStream('bad-keys');
    for (const key of ['k'.repeat(201), 'naïve', '']) {
      const response = await runNow(stack.app, stream.id, key);
      expect(response.statusCode, key).toBe(400);
      expect(errorResponse.parse(response.json()).error.issues?.map((issue) => issue.path)).toEqual([
        'headers.idempotency-key',
      ]);
    }
    expect((await runNow(stack.app, stream.id, 'k'.repeat(200))).statusCode).toBe(202);
    await waitFor(() => (fetches() === 1 ? true : undefined));
  });
});

describe('Idempotency-Key on POST /runs', () => {
  it('answers the same ad-hoc run for the same key', async () => {
    site.route('/adhoc-idempotent.xml', { fixture: 'feeds/rss2-news.xml' });
    const payload = { type: 'rss_feed', config: { url: site.url('/adhoc-idempotent.xml') }, dryRun: true };
    const [first, second] = [
      await stack.app.inject({ method: 'POST', url: '/runs', payload, headers: { 'idempotency-key': 'preview-once' } }),
      await stack.app.inject({ method: 'POST', url: '/runs', payload, headers: { 'idempotency-key': 'preview-once' } }),
    ];
    expect([first.statusCode, second.statusCode]).toEqual([202, 200]);
    const runId = adHocRunStartedResponse.parse(first.json()).runId;
    expect(adHocRunStartedResponse.parse(second.json()).runId).toBe(runId);
    expect((await waitForRunToClose(stack.app, runId)).status).toBe('completed');
    expect(site.requestsTo('/adhoc-idempotent.xml')).toHaveLength(1);
  });
});

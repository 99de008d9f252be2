import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FailureType } from '../../schemas/failure-types.js';
import { createStream, startRun, waitFor, waitForRunToClose } from '../helpers/api.js';
import { FixtureServer } from '../helpers/fixture-server.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';

// GET /runs/:id of a run that did not complete says how many attempts its task activity used: a failed
// attempt has only its failure to tell the workflow, so the attempt rides in the failure's details.
let stack: TestStack;
let site: FixtureServer;

beforeAll(async () => {
  [stack, site] = await Promise.all([startTestStack(), FixtureServer.start()]);
});

afterAll(async () => {
  await stack?.close();
  await site?.close();
});

const quickRetries = { initialIntervalSeconds: 0.1, maximumIntervalSeconds: 1 };

describe('the attempts of a run that did not complete', () => {
  it('a run that fails for good on its third attempt reports attempt 3 and keeps the failure type', async () => {
    const feedUrl = site.route('/fails-third.xml', { status: 503 }, { status: 503 }, { status: 404 });
    const stream = await createStream(stack.app, {
      name: 'fails on the third',
      type: 'rss_feed',
      config: { url: feedUrl },
      runPolicy: quickRetries,
    });

    const run = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id));

    expect(run.status).toBe('failed');
    expect(run.error?.type).toBe(FailureType.HttpPermanent);
    expect(run.progress).toMatchObject({ phase: 'failed', attempt: 3 });
    expect(site.requestsTo('/fails-third.xml')).toHaveLength(3);
  });

  it('a run that runs out of attempts reports them all, with the transient type it failed with', async () => {
    const feedUrl = site.route('/always-503.xml', { status: 503 });
    const stream = await createStream(stack.app, {
      name: 'always unavailable',
      type: 'rss_feed',
      config: { url: feedUrl },
      runPolicy: { ...quickRetries, maximumAttempts: 2 },
    });

    const run = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id));

    expect(run.status).toBe('failed');
    expect(run.error?.type).toBe(FailureType.HttpTransient);
    expect(run.progress).toMatchObject({ phase: 'failed', attempt: 2 });
  });

  it('a run cancelled during its second attempt reports attempt 2', async () => {
    const feedUrl = site.route('/held-second.xml', { status: 503 }, { hold: true });
    const stream = await createStream(stack.app, {
      name: 'cancelled on the second',
      type: 'rss_feed',
      config: { url: feedUrl },
      runPolicy: quickRetries,
    });
    const runId = await startRun(stack.app, stream.id);
    await waitFor(() => site.requestsTo('/held-second.xml')[1]);

    expect((await stack.app.inject({ method: 'POST', url: `/runs/${runId}/cancel` })).statusCode).toBe(202);
    const run = await waitForRunToClose(stack.app, runId);

    expect(run.status).toBe('cancelled');
    expect(run.progress).toMatchObject({ phase: 'cancelled', attempt: 2 });
  });
});

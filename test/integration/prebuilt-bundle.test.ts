import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorkerActivities } from '../../src/temporal/worker-activities.js';
import type { StreamRunResult } from '../../schemas/stream-run.js';
import { workflowTypes } from '../../schemas/temporal-names.js';
import { createLogger } from '../../src/logger.js';
import { createWorker } from '../../src/temporal/worker.js';
import { FixtureServer } from '../helpers/fixture-server.js';
import { startTestStack, testHttpSettings, type TestStack } from '../helpers/stack.js';

let stack: TestStack;
let site: FixtureServer;
const dir = mkdtempSync(join(tmpdir(), 'newloom-bundle-'));

beforeAll(async () => {
  [stack, site] = await Promise.all([startTestStack(), FixtureServer.start()]);
});
afterAll(async () => {
  await Promise.all([stack?.close(), site?.close()]);
  rmSync(dir, { recursive: true, force: true });
});

/** The production image builds the bundle once (scripts/bundle-workflows.ts) and workers load it by path. */
describe('a worker on the prebuilt workflow bundle', () => {
  it('runs a stream from the bundle file the build script wrote', async () => {
    const codePath = join(dir, 'workflow-bundle.js');
    execFileSync(process.execPath, ['--import', 'tsx', 'scripts/bundle-workflows.ts', codePath], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    expect(statSync(codePath).size).toBeGreaterThan(10_000);

    const taskQueue = `bundle-${randomUUID()}`;
    const activities = buildWorkerActivities({ db: stack.db, logger: createLogger('error'), http: testHttpSettings });
    const worker = await createWorker({
      connection: stack.workerConnection,
      namespace: 'default',
      taskQueue,
      activities,
      workflowBundle: { codePath },
    });
    const feedUrl = site.route('/bundle.xml', { fixture: 'feeds/rss2-news.xml' });
    const result = (await worker.runUntil(
      stack.client.workflow.execute(workflowTypes.streamRun, {
        taskQueue,
        workflowId: `bundle-${randomUUID()}`,
        args: [
          {
            streamId: 'str_bundle',
            streamName: 'bundle',
            sourceId: 'src_bundle',
            taskType: 'rss_feed',
            config: { url: feedUrl },
            dryRun: true,
          },
        ],
      }),
    )) as StreamRunResult;
    expect(result.counts.found).toBeGreaterThan(0);
  });
});

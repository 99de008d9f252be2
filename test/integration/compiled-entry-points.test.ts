import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startNewloomProcess, type NewloomProcess } from '../../src/cluster/newloom-process.js';
import { compileEntryPoints, compiledEntryPath, nodeArgumentsFor } from '../../src/process/compiled-entry-points.js';
import { projectRoot } from '../../src/project-root.js';
import {
  itemListResponse,
  runResponse,
  runStartedResponse,
  streamResponse,
} from '../../src/api/openapi/response-schemas.js';
import type { RunView } from '../../src/temporal/runs.js';
import { FixtureServer } from '../helpers/fixture-server.js';
import { callHttpApi } from '../helpers/http-call.js';
import { freePort } from '../helpers/free-port.js';
import { workflowBundle } from '../helpers/stack.js';

// `npm start`, the cluster and the images run the entry points compiled by scripts/build.ts, not the
// sources this suite imports. A compiled process finds the project's files from package.json; this
// checks that the files it reads at run time (the console, the extraction thread) are still found.

const buildDir = join(projectRoot, '.cache', `compiled-test-${process.pid}`);
const stateDir = mkdtempSync(join(tmpdir(), 'newloom-compiled-'));
let site: FixtureServer;
let api: NewloomProcess;
let worker: NewloomProcess;
let origin: string;

beforeAll(async () => {
  site = await FixtureServer.start();
  site.route('/news/ferry', { fixture: 'pages/articles/ferry-timetable-readability.html' });
  await compileEntryPoints(buildDir);
  const apiPort = await freePort();
  origin = `http://127.0.0.1:${apiPort}`;
  const env = {
    DATABASE_URL: `sqlite:${join(stateDir, 'newloom.db')}`,
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_TASK_QUEUE: `compiled-${randomUUID()}`,
    WORKFLOW_BUNDLE_PATH: (await workflowBundle()).codePath,
    HTTP_ALLOWED_PRIVATE_HOSTS: '127.0.0.1',
    HTTP_HOST_MIN_INTERVAL_MS: '0',
    LOG_LEVEL: 'info',
  };
  worker = startNewloomProcess({
    name: 'worker',
    entry: compiledEntryPath('worker-main', buildDir),
    nodeArguments: nodeArgumentsFor('worker-main'),
    env,
    logFile: join(stateDir, 'worker.log'),
    readyMessage: /^worker running$/,
  });
  await worker.ready;
  api = startNewloomProcess({
    name: 'api',
    entry: compiledEntryPath('server', buildDir),
    env: { ...env, API_PORT: String(apiPort) },
    logFile: join(stateDir, 'api.log'),
    readyMessage: /^Server listening at/,
  });
  await api.ready;
}, 120_000);

afterAll(async () => {
  await Promise.all([api?.stop(), worker?.stop()]);
  await site?.close();
  rmSync(buildDir, { recursive: true, force: true });
  rmSync(stateDir, { recursive: true, force: true });
});

const call = (method: string, path: string, body?: unknown) => callHttpApi<unknown>(origin, method, path, body);

describe('the compiled entry points (dist/*.mjs)', () => {
  it('serve the console and the API description', async () => {
    const consolePage = await fetch(`${origin}/console/`);
    expect(consolePage.status).toBe(200);
    expect(await consolePage.text()).toContain('<script type="module"');
    const openapi = await call('GET', '/docs/json');
    expect(openapi.status).toBe(200);
    expect(openapi.body).toHaveProperty(['paths', '/streams']);
  });

  it('run a stream end to end, the article read in the extraction thread', async () => {
    const created = await call('POST', '/streams', {
      name: 'compiled ferry',
      type: 'web_article',
      config: { base_url: site.url('/news/ferry') },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const stream = streamResponse.parse(created.body);
    const started = await call('POST', `/streams/${stream.id}/runs`);
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const { runId } = runStartedResponse.parse(started.body);

    const deadline = Date.now() + 60_000;
    let run: RunView | undefined;
    do {
      await new Promise((resolve) => setTimeout(resolve, 300));
      const answer = await call('GET', `/runs/${runId}`);
      if (answer.status === 200) run = runResponse.parse(answer.body);
    } while ((!run || run.status === 'running') && Date.now() < deadline);
    expect(run?.status, JSON.stringify(run)).toBe('completed');
    expect(run?.result?.counts).toMatchObject({ found: 1, new: 1 });

    const items = await call('GET', `/runs/${runId}/items`);
    expect(items.status).toBe(200);
    const [item] = itemListResponse.parse(items.body).items;
    expect(item).toMatchObject({
      canonicalUrl: 'https://courier.example.test/news/2026/11/winter-ferry-timetable',
      title: 'Winter ferry timetable cuts evening crossings',
    });
    expect(item?.text).toContain('a replacement water taxi could run on request');
  });
});

/**
 * Cancel latency: how long from POST /runs/:id/cancel until (a) the feed server sees its connection
 * closed and (b) the run reads `cancelled`. 20 cancels of rss_feed runs whose feed server holds the
 * response open, on a throwaway dev server. Prints a Markdown table row for docs/benchmarks.md.
 *
 *   npx tsx bench/cancel-latency.ts [count]
 */
import { FixtureServer } from '../test/helpers/fixture-server.js';
import { startLocalTestServer } from '../test/helpers/local-test-server.js';
import { quietTemporalRuntime, startBenchStack } from './lib/bench-stack.js';
import { summarize } from './lib/stats.js';

const count = Number(process.argv[2] ?? 20);
quietTemporalRuntime();
const env = await startLocalTestServer();
const site = await FixtureServer.start();
const stack = await startBenchStack(env.address);
const connectionClosedMs: number[] = [];
const runCancelledMs: number[] = [];

try {
  const path = site.route('/held.xml', { hold: true });
  const created = await stack.app.inject({
    method: 'POST',
    url: '/streams',
    payload: { name: 'cancel bench', type: 'rss_feed', config: { url: path } },
  });
  const streamId = created.json<{ id: string }>().id;
  for (let index = 0; index < count; index += 1) {
    const before = site.requestsTo('/held.xml').length;
    const runId = (await stack.app.inject({ method: 'POST', url: `/streams/${streamId}/runs` })).json<{
      runId: string;
    }>().runId;
    while (site.requestsTo('/held.xml').length === before) await new Promise((resolve) => setTimeout(resolve, 10));
    const held = site.requestsTo('/held.xml')[before]!;
    const cancelledAt = performance.now();
    const wallCancelledAt = Date.now();
    await stack.app.inject({ method: 'POST', url: `/runs/${runId}/cancel` });
    await stack.client.workflow
      .getHandle(runId)
      .result()
      .catch(() => undefined);
    runCancelledMs.push(performance.now() - cancelledAt);
    while (held.closedAt === undefined) await new Promise((resolve) => setTimeout(resolve, 5));
    connectionClosedMs.push(held.closedAt - wallCancelledAt);
  }
} finally {
  await stack.close();
  await site.close();
  await env.teardown();
}

const closed = summarize(connectionClosedMs);
const ended = summarize(runCancelledMs);
console.log(`cancels: ${count}`);
console.log('| measure | median ms | p90 ms | worst ms |');
console.log('|---|---|---|---|');
console.log(`| cancel → fixture connection closed | ${closed.median} | ${closed.p90} | ${closed.max} |`);
console.log(`| cancel → run closed as cancelled | ${ended.median} | ${ended.p90} | ${ended.max} |`);

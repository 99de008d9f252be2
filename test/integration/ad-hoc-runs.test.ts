import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getRun, waitForRunToClose } from '../helpers/api.js';
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

const countItems = async () =>
  Number(
    (
      await stack.db
        .selectFrom('items')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('ad-hoc runs (POST /runs)', () => {
  it('previews a config with dryRun: items come back, nothing is saved', async () => {
    const feedUrl = site.route('/preview.xml', { fixture: 'feeds/rss2-news.xml' });
    const before = await countItems();
    const response = await stack.app.inject({
      method: 'POST',
      url: '/runs',
      payload: { type: 'rss_feed', config: { url: feedUrl, max_items: 2 }, dryRun: true },
    });
    expect(response.statusCode).toBe(202);
    const { runId } = response.json<{ runId: string }>();

    const run = await waitForRunToClose(stack.app, runId);

    expect(run.status).toBe('completed');
    expect(run.result?.counts).toMatchObject({ found: 6, collected: 2, new: 0 });
    expect(run.result?.preview?.map((item) => item.title)).toEqual([
      'Council approves new ferry timetable',
      'Storm warning for the weekend',
    ]);
    expect(await countItems()).toBe(before);
  });

  it('collects into a source when not a dry run', async () => {
    const feedUrl = site.route('/one-off.xml', { fixture: 'feeds/json-feed.json' });
    const source = (await stack.app.inject({ method: 'POST', url: '/sources', payload: { name: 'one-off' } })).json<{
      id: string;
    }>();
    const { runId } = (
      await stack.app.inject({
        method: 'POST',
        url: '/runs',
        payload: { type: 'rss_feed', config: { url: feedUrl }, sourceId: source.id },
      })
    ).json<{ runId: string }>();

    const run = await waitForRunToClose(stack.app, runId);
    expect(run.result?.counts.new).toBe(2);
    const saved = await stack.db.selectFrom('items').select('source_id').where('run_id', '=', runId).execute();
    expect(saved.map((row) => row.source_id)).toEqual([source.id, source.id]);
    expect((await getRun(stack.app, runId)).streamId).toBe('adhoc');
  });

  it('refuses a run that would save nowhere, or an invalid config, with field paths', async () => {
    const noSource = await stack.app.inject({
      method: 'POST',
      url: '/runs',
      payload: { type: 'rss_feed', config: { url: site.url('/x.xml') } },
    });
    expect(noSource.statusCode).toBe(400);
    expect(noSource.body).toContain('body.sourceId');
    const badConfig = await stack.app.inject({
      method: 'POST',
      url: '/runs',
      payload: { type: 'rss_feed', config: { max_items: 'many' }, dryRun: true },
    });
    expect(badConfig.statusCode).toBe(400);
    expect(badConfig.body).toContain('body.config.url');
    expect(badConfig.body).toContain('body.config.max_items');
  });
});

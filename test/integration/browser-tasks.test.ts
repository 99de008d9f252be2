import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FailureType } from '../../schemas/failure-types.js';
import { createStream, startRun, waitFor, waitForRunToClose } from '../helpers/api.js';
import { FixtureServer } from '../helpers/fixture-server.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';

let stack: TestStack;
let site: FixtureServer;

/** Chromium processes started by this test process (Playwright's browser is our child). */
function ownChromiumProcesses(): string[] {
  const out = execFileSync('ps', ['-eo', 'pid,ppid,comm'], { encoding: 'utf8' });
  const rows = out
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/));
  const descendants = new Set([String(process.pid)]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, ppid] of rows) {
      if (pid && ppid && descendants.has(ppid) && !descendants.has(pid)) {
        descendants.add(pid);
        grew = true;
      }
    }
  }
  return rows
    .filter(([pid, , command]) => pid && descendants.has(pid) && /chrom/i.test(command ?? ''))
    .map(([pid, , command]) => `${pid} ${command}`);
}

beforeAll(async () => {
  [stack, site] = await Promise.all([startTestStack(), FixtureServer.start()]);
});

afterAll(async () => {
  await stack?.close();
  await site?.close();
  // The stack closed its browser pool: nothing of Chromium may outlive the suite.
  expect(ownChromiumProcesses()).toEqual([]);
});

const savedItems = (runId: string) =>
  stack.db.selectFrom('items').select(['canonical_url', 'title']).where('run_id', '=', runId).orderBy('id').execute();

describe('article_searcher through the dev server and Debian chromium', () => {
  beforeAll(() => {
    for (const page of ['listing', 'faehre', 'wetter', 'fahrplan']) {
      site.route(`/articles/${page}.html`, {
        headers: { 'content-type': 'text/html; charset=utf-8' },
        fixture: `pages/articles/${page}.html`,
      });
    }
  });

  it('keeps the articles whose article element mentions the text, case- and Unicode-insensitively, and skips a missing one', async () => {
    const stream = await createStream(stack.app, {
      name: 'ferry mentions',
      type: 'article_searcher',
      config: {
        url: site.url('/articles/listing.html'),
        link_selector: 'a.story',
        article_selector: 'article .body',
        search_text: 'FÄHRE',
      },
    });

    const run = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id), 60_000);

    expect(run.status, JSON.stringify(run.error)).toBe('completed');
    expect(run.result?.counts).toMatchObject({ found: 4, collected: 2, new: 2 });
    const saved = await stack.db
      .selectFrom('items')
      .select(['canonical_url', 'title', 'summary'])
      .where('run_id', '=', run.id)
      .orderBy('id')
      .execute();
    expect(saved.map((item) => item.canonical_url)).toEqual([
      site.url('/articles/faehre.html'),
      site.url('/articles/fahrplan.html'),
    ]);
    expect(saved[0]?.title).toBe('Neue Fähre im Hafen');
    expect(saved[0]?.summary).toContain('FÄHRE „Möwe“');
    expect(site.requestsTo('/articles/gone.html')).toHaveLength(1);
  });

  it('takes XPath selectors too', async () => {
    const stream = await createStream(stack.app, {
      name: 'ferry by xpath',
      type: 'article_searcher',
      config: {
        url: site.url('/articles/listing.html'),
        link_selector: "//ul[@id='stories']//a",
        link_selector_type: 'xpath',
        article_selector: '//article//p',
        article_selector_type: 'xpath',
        search_text: 'sturmböen',
        max_links: 2,
      },
    });
    const run = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id), 60_000);
    expect(run.status, JSON.stringify(run.error)).toBe('completed');
    expect(run.result?.counts).toMatchObject({ found: 2, new: 1 });
  });

  it('fails without retrying on a selector the page cannot parse', async () => {
    const stream = await createStream(stack.app, {
      name: 'bad selector',
      type: 'article_searcher',
      config: {
        url: site.url('/articles/listing.html'),
        link_selector: 'a[[',
        article_selector: 'p',
        search_text: 'x',
      },
    });
    const run = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id), 60_000);
    expect(run.status).toBe('failed');
    expect(run.error?.type).toBe(FailureType.Validation);
    expect(run.error?.message).toContain('config.link_selector');
  });
});

describe('playwright_link_extractor through the dev server and Debian chromium', () => {
  it('collects links from the rendered page, scripted ones included, resolved against the page URL', async () => {
    const pageUrl = site.route('/news/index.html', {
      headers: { 'content-type': 'text/html' },
      fixture: 'pages/link-list.html',
    });
    const stream = await createStream(stack.app, {
      name: 'rendered links',
      type: 'playwright_link_extractor',
      config: { url: pageUrl, link_selector: 'main article h2 a' },
    });

    const run = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id), 60_000);

    expect(run.status, JSON.stringify(run.error)).toBe('completed');
    expect(run.result?.counts).toMatchObject({ found: 5, collected: 4, new: 4 });
    expect(await savedItems(run.id)).toEqual([
      { canonical_url: site.url('/2026/11/port-strike-ends'), title: 'Port strike ends after three days' },
      { canonical_url: site.url('/news/2026/11/tide-tables'), title: 'New tide tables' },
      { canonical_url: 'https://elsewhere.example.test/analysis', title: 'An analysis elsewhere' },
      { canonical_url: site.url('/2026/11/late-breaking'), title: 'Late-breaking: ferry resumes' },
    ]);
    expect(stack.browser.activePages).toBe(0);
  });

  it('fails without retrying on a 404 page', async () => {
    const stream = await createStream(stack.app, {
      name: 'missing page',
      type: 'playwright_link_extractor',
      config: { url: site.url('/no-such-page'), link_selector: 'a' },
    });
    const run = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id), 60_000);
    expect(run.status).toBe('failed');
    expect(run.error?.type).toBe(FailureType.HttpPermanent);
    expect(site.requestsTo('/no-such-page')).toHaveLength(1);
  });

  it('cancels while the page is still loading: the page closes, its open request is dropped, the run ends cancelled', async () => {
    site.route('/slow/index.html', { headers: { 'content-type': 'text/html' }, fixture: 'pages/slow-image.html' });
    site.route('/held-image.png', { hold: true, headers: { 'content-type': 'image/png' } });
    const stream = await createStream(stack.app, {
      name: 'slow page',
      type: 'playwright_link_extractor',
      config: { url: site.url('/slow/index.html'), link_selector: 'a' },
    });
    const runId = await startRun(stack.app, stream.id);
    const held = await waitFor(() => site.requestsTo('/held-image.png')[0], 30_000);

    const cancelledAt = Date.now();
    expect((await stack.app.inject({ method: 'POST', url: `/runs/${runId}/cancel` })).statusCode).toBe(202);

    const run = await waitForRunToClose(stack.app, runId);
    expect(run.status).toBe('cancelled');
    const closedAt = await waitFor(() => held.closedAt, 5000);
    expect(closedAt - cancelledAt).toBeLessThan(3000);
    expect(stack.browser.activePages).toBe(0);
  });
});

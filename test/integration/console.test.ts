import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { newloomApi } from '../../src/api/app.js';
import { parseApiKeys } from '../../src/api/auth.js';
import { saveDocs } from '../../src/db/docs-repository.js';
import { ensureSourceNamed } from '../../src/db/sources-repository.js';
import { findStream, insertStream } from '../../src/db/streams-repository.js';
import { createStream, startRun, waitForRunToClose } from '../helpers/api.js';
import { FixtureServer } from '../helpers/fixture-server.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';

/**
 * The operator console in Debian's Chromium against the real stack: the API listening on a port, its
 * worker on the integration dev server, feeds from a local fixture server. CONSOLE_SCREENSHOTS=<dir>
 * also saves a screenshot of each page there (docs/console is made this way).
 */
const screenshotDir = process.env.CONSOLE_SCREENSHOTS ? resolve(process.env.CONSOLE_SCREENSHOTS) : undefined;
const adminKey = 'console-admin-key-0123456789abcdef';
const readKey = 'console-read-key-0123456789abcdefgh';

let stack: TestStack;
let site: FixtureServer;
let browser: Browser;
let base: string;
let page: Page;
let pageErrors: string[];

async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

async function shoot(name: string) {
  if (!screenshotDir) return;
  mkdirSync(screenshotDir, { recursive: true });
  // Let relative times and spinners settle on a frame; the picture is documentation, not an assertion.
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
}

beforeAll(async () => {
  [stack, site] = await Promise.all([startTestStack(), FixtureServer.start()]);
  base = await listen(stack.app);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--no-first-run',
      '--disable-background-networking',
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
  await site?.close();
});

beforeEach(async () => {
  page = await browser.newPage({ viewport: { width: 1180, height: 760 } });
  pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
});

afterEach(async (context) => {
  // What the console showed when a test failed: usually the API's error message says why.
  if (context.task.result?.state === 'fail') console.error('console page:', await page.locator('main').textContent());
  await page.close();
  // A script error in the console is a failure even when the page looked right.
  expect(pageErrors).toEqual([]);
});

const feedXml = (title: string) => `<?xml version="1.0"?>
<rss version="2.0"><channel><title>Hostile</title><link>http://127.0.0.1/</link><description>x</description>
<item><title>${title}</title><link>http://127.0.0.1/hostile-1</link><description>&lt;script&gt;window.__pwned = 1&lt;/script&gt;</description></item>
</channel></rss>`;

describe('the operator console in Chromium', () => {
  it('creates a stream through the form, runs it with live progress, shows its items, and pauses it', async () => {
    // The first attempt meets a 503 and the second a server that never answers (until the fetch times
    // out), so the run stays long enough in its retries to be watched; the third collects the feed.
    const feedUrl = site.route(
      '/news/feed.xml',
      { status: 503, body: 'busy' },
      { hold: true, headers: { 'content-type': 'application/rss+xml' } },
      { headers: { 'content-type': 'application/rss+xml' }, fixture: 'feeds/rss2-news.xml' },
    );
    await page.goto(`${base}/console`);
    // Keyless on loopback: straight in, and the header says why no key was asked for.
    await expect.poll(() => page.locator('#session').textContent()).toContain('No key needed');
    await page.getByText('No streams yet').waitFor();
    await shoot('streams-empty');

    await page.getByRole('link', { name: 'New stream' }).first().click();
    await page.locator('select[name="type"]').selectOption('rss_feed');
    const url = page.locator('input[name="config.url"]');
    // The task's example fills the form.
    expect(await url.inputValue()).toBe('https://example.com/feed.xml');
    expect(await page.locator('input[name="config.max_items"]').inputValue()).toBe('20');
    await page.locator('input[name="name"]').fill('harbour news');
    await url.fill(feedUrl);
    // Daily: its fire time (spread over the day per stream) is most unlikely to fall inside the test.
    await page.locator('select[name="frequency"]').selectOption('daily');
    await shoot('stream-form');
    await page.getByRole('button', { name: 'Create stream' }).click();

    await page.getByRole('heading', { name: /harbour news/ }).waitFor();
    const streamId = decodeURIComponent(new URL(page.url()).hash.replace('#/streams/', ''));
    const saved = await findStream(stack.db, streamId);
    expect(saved).toMatchObject({ name: 'harbour news', taskType: 'rss_feed', frequency: 'daily' });
    expect(saved?.config).toMatchObject({ url: feedUrl, max_items: 20 });
    // The next fire time comes from the Temporal schedule: "in N minutes".
    await expect.poll(() => page.locator('dl.details').textContent(), { timeout: 15_000 }).toMatch(/Next fire\s*in /);

    await page.getByRole('button', { name: 'Run now' }).click();
    await page.getByText(/Run started: /).waitFor();
    const runRow = page.locator('table.runs tbody tr').first();
    const runId = await runRow.getAttribute('data-run-id');
    expect(runId).toMatch(new RegExp(`^${streamId}-`));
    const temporalLink = runRow.getByRole('link', { name: /Temporal UI/ });
    expect(await temporalLink.getAttribute('href')).toBe(
      `http://127.0.0.1:8233/namespaces/default/workflows/${encodeURIComponent(runId!)}`,
    );
    // The row follows the run's events: its phase and attempt while it retries...
    await runRow.locator('.run-detail .progress', { hasText: 'attempt 2' }).waitFor({ timeout: 30_000 });
    expect(await runRow.locator('.run-detail').textContent()).toContain('collecting');
    await shoot('run-progress');
    // ...until it ends, then the items appear.
    await runRow.locator('.run-status .badge-completed').waitFor({ timeout: 60_000 });
    expect(await runRow.locator('.run-detail').textContent()).toMatch(/new \d+/);
    await page.locator('ul.items').getByText('Storm warning for the weekend').waitFor();
    await shoot('stream');

    await page.locator('input[name="note"]').fill('site down');
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByText('Paused: its schedule will not fire').waitFor();
    expect(await page.locator('h1 .badge').first().textContent()).toBe('paused');
    expect(await page.locator('dl.details').textContent()).toContain('site down');
    expect(await findStream(stack.db, streamId)).toMatchObject({ status: 'paused', pauseNote: 'site down' });
    const schedule = await stack.app.inject({ method: 'GET', url: `/streams/${streamId}/schedule` });
    expect(schedule.json()).toMatchObject({ scheduled: true, paused: true, note: 'site down', nextFireTimes: [] });

    // The list shows the last outcome and the paused schedule.
    await page.getByRole('link', { name: 'Streams' }).click();
    const listRow = page.locator(`tr[data-stream-id="${streamId}"]`);
    await listRow.waitFor();
    expect(await listRow.textContent()).toContain('completed');
    await expect.poll(() => listRow.locator('.next-fire').textContent()).toBe('paused');
    await shoot('streams');

    // The item browser finds them by text and by stream.
    await page.getByRole('link', { name: 'Items' }).click();
    await page.locator('input[name="q"]').fill('ferry');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => page.locator('ul.items > li').count()).toBeGreaterThan(0);
    const titles = await page.locator('ul.items .item-title').allTextContents();
    expect(titles.every((title) => /ferry/i.test(title))).toBe(true);
    await shoot('items');
  });

  it('copies a stream, resumes and deletes it', async () => {
    const feedUrl = site.route('/copy/feed.xml', { fixture: 'feeds/atom-blog.xml' });
    const original = await createStream(stack.app, {
      name: 'blog',
      type: 'rss_feed',
      config: { url: feedUrl, max_items: 7 },
      frequency: '6hours',
    });
    await stack.app.inject({ method: 'POST', url: `/streams/${original.id}/pause`, payload: { note: 'later' } });
    await page.goto(`${base}/console#/streams/${original.id}`);
    await page.getByRole('button', { name: 'Resume' }).click();
    // Resuming updates the Temporal schedule; on a loaded machine that can take a while.
    await page.getByText('Resumed.').waitFor({ timeout: 60_000 });
    expect((await findStream(stack.db, original.id))?.status).toBe('active');

    await page.getByRole('link', { name: 'Edit' }).click();
    expect(await page.locator('select[name="type"]').isDisabled()).toBe(true);
    expect(await page.locator('input[name="config.max_items"]').inputValue()).toBe('7');
    await page.locator('input[name="config.max_items"]').fill('9');
    await page.locator('select[name="frequency"]').selectOption('');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { name: /^blog/ }).waitFor();
    expect(await findStream(stack.db, original.id)).toMatchObject({ config: { max_items: 9 }, frequency: null });

    await page.getByRole('link', { name: 'Copy' }).click();
    expect(await page.locator('input[name="name"]').inputValue()).toBe('blog (copy)');
    expect(await page.locator('input[name="config.max_items"]').inputValue()).toBe('9');
    await page.locator('select[name="frequency"]').selectOption('6hours');
    await page.getByRole('button', { name: 'Create stream' }).click();
    await page.getByRole('heading', { name: /blog \(copy\)/ }).waitFor();
    const copyId = decodeURIComponent(new URL(page.url()).hash.replace('#/streams/', ''));
    expect(copyId).not.toBe(original.id);
    expect(await findStream(stack.db, copyId)).toMatchObject({
      config: { url: feedUrl, max_items: 9 },
      frequency: '6hours',
    });

    await page.getByRole('button', { name: 'Delete…' }).click();
    await page.getByRole('button', { name: /^Delete "blog \(copy\)"/ }).click();
    await page.getByRole('heading', { name: 'Streams' }).waitFor();
    expect(await findStream(stack.db, copyId)).toBeUndefined();
  });

  it("shows the API's 400 field errors next to their fields", async () => {
    await page.goto(`${base}/console#/streams/new`);
    await page.locator('select[name="type"]').selectOption('rss_feed');
    await page.locator('input[name="name"]').fill('too few');
    await page.locator('input[name="config.max_items"]').fill('0');
    await page.getByRole('button', { name: 'Create stream' }).click();

    // body.config.max_items lands on the max_items field.
    const maxItems = page.locator('.field[data-path="config.max_items"]');
    await maxItems.locator('.field-error').waitFor();
    expect(await maxItems.getAttribute('class')).toContain('invalid');
    expect(await maxItems.locator('.field-error').textContent()).toMatch(/>=\s*1|too small/i);
    expect(await maxItems.locator('input').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('.field[data-path="config.url"]').getAttribute('class')).not.toContain('invalid');
    await shoot('stream-form-errors');

    // Fixed, with a cron Temporal would refuse: body.frequency.cron lands on the cron field, the old error goes.
    await page.locator('input[name="config.max_items"]').fill('5');
    // The cron fields show only for a cron schedule.
    expect(await page.locator('input[name="frequency.cron"]').isVisible()).toBe(false);
    await page.locator('select[name="frequency"]').selectOption('cron');
    await page.locator('input[name="frequency.cron"]').fill('99 * * * *');
    await page.getByRole('button', { name: 'Create stream' }).click();
    await page.locator('.field[data-path="frequency.cron"] .field-error').waitFor();
    expect(await maxItems.locator('.field-error').isVisible()).toBe(false);
    expect(await stack.db.selectFrom('streams').select('id').where('name', '=', 'too few').execute()).toEqual([]);
  });

  it('shows hostile item titles as text, never as markup', async () => {
    const feedUrl = site.route('/hostile.xml', {
      headers: { 'content-type': 'application/rss+xml' },
      // Escaped twice: the feed's title text itself reads `<img …>` (the parser strips markup it finds).
      body: feedXml('&amp;lt;img src=x onerror="window.__pwned=1"&amp;gt; Ferry &amp;lt;b&amp;gt;'),
    });
    const stream = await createStream(stack.app, { name: 'hostile', type: 'rss_feed', config: { url: feedUrl } });
    const run = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id), 60_000);
    expect(run.status).toBe('completed');

    await page.goto(`${base}/console#/items?streamId=${stream.id}`);
    const title = page.locator('ul.items .item-title a').first();
    await title.waitFor();
    expect(await title.textContent()).toContain('<img src=x onerror="window.__pwned=1">');
    expect(await page.locator('ul.items img, ul.items b').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
  });

  it('edits a document in the queue and resolves an unknown publication', async () => {
    const media = await stack.app.inject({ method: 'POST', url: '/media', payload: { name: 'Harbour Digest' } });
    const mediaId = media.json<{ id: string }>().id;
    const writer = await createStream(stack.app, {
      name: 'digest writer',
      type: 'news_stream',
      config: { media_id: mediaId, system_prompt: 'Style: {examples}', user_prompt_template: 'From: {news}' },
    });
    await saveDocs(stack.db, {
      runId: `${writer.id}-manual`,
      streamId: writer.id,
      mediaId,
      docs: [
        { title: 'Ferry timetable changes', text: 'The council approved a new timetable.', url: null },
        { title: 'Storm on the way', text: 'Gales expected on Saturday.', url: null },
      ],
    });
    await page.goto(`${base}/console#/documents`);
    await page.getByRole('link', { name: 'Storm on the way' }).waitFor();
    await shoot('documents');
    await page.getByRole('link', { name: 'Ferry timetable changes' }).click();
    await page.locator('textarea[name="text"]').fill('The council approved a new ferry timetable from Monday.');
    await page.locator('select[name="status"]').selectOption('edit');
    await shoot('document-editor');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved; the document is now edit.').waitFor();
    const doc = await stack.db
      .selectFrom('docs')
      .select(['status', 'text'])
      .where('title', '=', 'Ferry timetable changes')
      .executeTakeFirstOrThrow();
    expect(doc).toEqual({ status: 'edit', text: 'The council approved a new ferry timetable from Monday.' });

    const item = await stack.db.selectFrom('items').select(['id', 'stream_id']).orderBy('id').executeTakeFirstOrThrow();
    const { id: publicationId } = await stack.db
      .insertInto('publications')
      .values({
        item_id: item.id,
        doc_id: null,
        channel: 'telegram:@harbour',
        stream_id: item.stream_id,
        run_id: `${item.stream_id}-publish`,
        external_id: null,
        published_at: new Date().toISOString(),
        status: 'unknown',
        error: 'the send timed out; the channel may have the message',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await page.getByRole('link', { name: 'Publications' }).click();
    const row = page.locator(`tr[data-publication-id="${publicationId}"]`);
    await row.waitFor();
    await shoot('publications');
    await row.locator('input').fill('4711');
    await row.getByRole('button', { name: 'It is in the channel' }).click();
    await page.getByText('Recorded as sent.').waitFor();
    expect(
      await stack.db
        .selectFrom('publications')
        .select(['status', 'external_id'])
        .where('id', '=', publicationId)
        .executeTakeFirstOrThrow(),
    ).toEqual({ status: 'sent', external_id: '4711' });
  });

  it('pages the streams list by cursor: Load more adds the next page until the last', async () => {
    const source = await ensureSourceNamed(stack.db, 'console paging');
    // By hand (no frequency): no Temporal schedule to create or ask about for these.
    for (let n = 0; n < 104; n += 1)
      await insertStream(stack.db, { name: `paged ${n}`, taskType: 'rss_feed', config: {}, sourceId: source.id });
    const total = (await stack.db.selectFrom('streams').select('id').execute()).length;
    expect(total).toBeGreaterThan(100);

    await page.goto(`${base}/console#/streams`);
    const rows = page.locator('tr[data-stream-id]');
    await expect.poll(() => rows.count()).toBe(100);
    const more = page.getByRole('button', { name: 'Load more' });
    await more.click();
    await expect.poll(() => rows.count()).toBe(total);
    await expect.poll(() => more.isHidden()).toBe(true);
    const shown = await Promise.all((await rows.all()).map((row) => row.getAttribute('data-stream-id')));
    expect(new Set(shown).size).toBe(total);
  });
});

describe('the console behind API keys', () => {
  let keyed: FastifyInstance;
  let keyedBase: string;

  beforeAll(async () => {
    keyed = Fastify({ logger: false });
    await keyed.register(newloomApi, {
      db: stack.db,
      temporal: { client: stack.client, taskQueue: stack.taskQueue },
      apiKeys: parseApiKeys(`admin:${adminKey},read:${readKey}`),
    });
    keyedBase = await listen(keyed);
  });

  afterAll(async () => {
    await keyed?.close();
  });

  it('asks for a key, refuses a wrong one, and never puts the key in a URL', async () => {
    const requested: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    await page.goto(`${keyedBase}/console`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await shoot('sign-in');

    await page.locator('#api-key').fill('not-the-key-at-all-0123456789');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('That key is not valid here.').waitFor();

    await page.locator('#api-key').fill(adminKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Streams' }).waitFor();
    await page.getByText('Signed in with an API key').waitFor();
    // The list loaded with the key (rows, or the empty state when this test runs alone).
    await page.locator('tr[data-stream-id], .empty').first().waitFor();
    expect(requested.some((url) => url.includes(adminKey))).toBe(false);
    expect(page.url()).not.toContain(adminKey);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  });

  it('lets a read key look, and says why a change is refused', async () => {
    const stream = await createStream(stack.app, {
      name: 'read only',
      type: 'rss_feed',
      config: { url: 'https://example.com/feed.xml' },
    });
    await page.goto(`${keyedBase}/console#/streams/${stream.id}`);
    await page.locator('#api-key').fill(readKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // Signing in lands on the page the address named.
    await page.getByRole('heading', { name: /read only/ }).waitFor();
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByText('This key may only read; sign in with an admin key to change things.').waitFor();
    expect((await findStream(stack.db, stream.id))?.status).toBe('active');
  });
});

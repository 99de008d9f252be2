import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FailureType } from '../../schemas/failure-types.js';
import { itemListResponse } from '../../src/api/openapi/response-schemas.js';
import { createStream, startRun, waitForRunToClose } from '../helpers/api.js';
import { FixtureServer } from '../helpers/fixture-server.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';

let stack: TestStack;
let site: FixtureServer;

const html = { 'content-type': 'text/html; charset=utf-8' };

beforeAll(async () => {
  [stack, site] = await Promise.all([startTestStack(), FixtureServer.start()]);
  site.route('/s/harbour_news', { fixture: 'telegram/harbour-news.html', headers: html });
  site.route('/s/harbour_news?before=121', { fixture: 'telegram/harbour-news-before-121.html', headers: html });
  // What t.me does for a channel without a public preview: redirect to its plain landing page.
  site.route('/s/harbour_closed', { status: 302, headers: { location: '/harbour_closed' } });
  site.route('/harbour_closed', { fixture: 'telegram/not-a-preview.html', headers: html });
  // A preview whose older page sends the same cursor back.
  site.route('/s/harbour_loops', { fixture: 'telegram/harbour-news.html', headers: html });
  site.route('/s/harbour_loops?before=121', { fixture: 'telegram/harbour-news.html', headers: html });
});

afterAll(async () => {
  await stack?.close();
  await site?.close();
});

const savedItems = (runId: string) =>
  stack.db
    .selectFrom('items')
    .select(['canonical_url', 'title', 'author', 'published_at', 'text', 'media_urls'])
    .where('run_id', '=', runId)
    .orderBy('id')
    .execute();

const postUrls = (ids: number[]) => ids.map((id) => `https://t.me/harbour_news/${id}`);

describe('telegram_channel through the dev server', () => {
  it('reads two preview pages to reach the limit, saves the newest posts first with their media, and finds them again as duplicates', async () => {
    const stream = await createStream(stack.app, {
      name: 'harbour news',
      type: 'telegram_channel',
      config: { channel: '@harbour_news', limit: 25, base_url: site.origin },
    });

    const run = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id));

    expect(run.status).toBe('completed');
    expect(run.result?.counts).toMatchObject({ found: 37, collected: 25, new: 25, duplicate: 0 });
    expect(site.requestsTo('/s/harbour_news').map((request) => request.search)).toEqual(['', '?before=121']);
    const items = await savedItems(run.id);
    expect(items.map((item) => item.canonical_url)).toEqual(
      postUrls([
        140, 139, 138, 137, 136, 134, 133, 132, 131, 129, 128, 127, 126, 125, 124, 123, 122, 121, 120, 119, 118, 117,
        116, 115, 114,
      ]),
    );
    expect(items[0]).toEqual({
      canonical_url: 'https://t.me/harbour_news/140',
      title: '🌅 Sunrise over the outer harbour this morning',
      author: 'Harbour News 🌊',
      published_at: '2026-11-19T12:33:20.000Z',
      text: '🌅 Sunrise over the outer harbour this morning\nPhoto: Mara Lindqvist',
      media_urls: JSON.stringify([
        'https://cdn4.telesco.pe/file/hn140-q2Xr8sLkT0bWm4aYc1PzV7uJdE9fGhN3oKiB6tR5wQeS.jpg',
      ]),
    });
    expect(items.find((item) => item.canonical_url.endsWith('/137'))).toMatchObject({
      author: 'Coastguard Bay',
      media_urls: null,
    });

    // The API hands the media back as a list.
    const response = await stack.app.inject({ method: 'GET', url: `/runs/${run.id}/items?limit=50` });
    const listed = itemListResponse.parse(response.json()).items;
    expect(listed.find((item) => item.url === 'https://t.me/harbour_news/138')?.mediaUrls).toEqual([
      'https://cdn4.telesco.pe/file/hn138-ferry-ramp.mp4?token=AbC123',
    ]);
    expect(listed.find((item) => item.url === 'https://t.me/harbour_news/139')?.mediaUrls).toEqual([]);

    const again = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id));
    expect(again.status).toBe('completed');
    expect(again.result?.counts).toMatchObject({ found: 37, collected: 25, new: 0, duplicate: 25 });
  });

  it('stores no media when include_media is off, and stops at the first page when it holds enough posts', async () => {
    const stream = await createStream(stack.app, {
      name: 'harbour news, text only',
      type: 'telegram_channel',
      config: { channel: 'https://t.me/s/harbour_news', limit: 10, include_media: false, base_url: site.origin },
    });
    const before = site.requestsTo('/s/harbour_news').length;

    const run = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id));

    expect(run.status).toBe('completed');
    const items = await savedItems(run.id);
    expect(items.map((item) => item.canonical_url)).toEqual(
      postUrls([140, 139, 138, 137, 136, 134, 133, 132, 131, 129]),
    );
    expect(items.every((item) => item.media_urls === null)).toBe(true);
    expect(
      site
        .requestsTo('/s/harbour_news')
        .slice(before)
        .map((request) => request.search),
    ).toEqual(['']);
  });

  it('stops when an older page does not move the cursor back, instead of reading it again and again', async () => {
    const stream = await createStream(stack.app, {
      name: 'looping preview',
      type: 'telegram_channel',
      config: { channel: 'harbour_loops', limit: 100, base_url: site.origin },
    });

    const run = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id));

    expect(run.status).toBe('completed');
    expect(run.result?.counts).toMatchObject({ found: 18, new: 18 });
    expect(site.requestsTo('/s/harbour_loops').map((request) => request.search)).toEqual(['', '?before=121']);
  });

  it('fails without retrying when the channel has no public preview', async () => {
    const stream = await createStream(stack.app, {
      name: 'closed group',
      type: 'telegram_channel',
      config: { channel: 'harbour_closed', base_url: site.origin },
    });

    const run = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id));

    expect(run.status).toBe('failed');
    expect(run.error?.type).toBe(FailureType.MalformedBody);
    expect(run.error?.message).toMatch(
      /not a public channel preview; "harbour_closed" does not exist, is private, or has its web preview turned off/,
    );
    expect(site.requestsTo('/s/harbour_closed')).toHaveLength(1);
    expect(site.requestsTo('/harbour_closed')).toHaveLength(1);
  });

  it('refuses a numeric chat id when the stream is created', async () => {
    const response = await stack.app.inject({
      method: 'POST',
      url: '/streams',
      payload: { name: 'numeric', type: 'telegram_channel', config: { channel_id: '-1001234567890' } },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      error: { issues: [{ path: 'body.config.channel', message: expect.stringMatching(/numeric chat id/) }] },
    });
  });
});

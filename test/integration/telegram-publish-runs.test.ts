import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FailureType } from '../../schemas/failure-types.js';
import {
  adHocRunStartedResponse,
  errorResponse,
  mediaResponse,
  publicationResponse,
  publicationSearchResponse,
} from '../../src/api/openapi/response-schemas.js';
import { saveDocs } from '../../src/db/docs-repository.js';
import { saveItems } from '../../src/db/items-repository.js';
import { ensureSourceNamed } from '../../src/db/sources-repository.js';
import { createStream, getRun, startRun, waitFor, waitForRunToClose } from '../helpers/api.js';
import { FakeBotApi } from '../helpers/fake-bot-api.js';
import { FixtureServer } from '../helpers/fixture-server.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';

const TOKEN = '123456789:AAH-test-token-that-must-stay-secret_x1';
const NEWSROOM_TOKEN = '987654321:BBQ-newsroom-token-also-secret_y2';

let stack: TestStack;
let site: FixtureServer;
let telegram: FakeBotApi;

beforeAll(async () => {
  telegram = await FakeBotApi.start([TOKEN, NEWSROOM_TOKEN]);
  [stack, site] = await Promise.all([
    startTestStack({
      telegram: {
        apiBaseUrl: telegram.origin,
        botTokens: { TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_BOT_TOKEN_NEWSROOM: NEWSROOM_TOKEN },
        // Short, so a send whose answer never comes is given up on quickly.
        timeoutMs: 1500,
      },
    }),
    FixtureServer.start(),
  ]);
});

afterAll(async () => {
  await stack?.close();
  await site?.close();
  await telegram?.close();
});

/** A source holding `count` fresh items, as a collection stream would have left it. */
async function sourceWithItems(name: string, count: number): Promise<string> {
  const source = await ensureSourceNamed(stack.db, name);
  const items = Array.from({ length: count }, (_, index) => ({
    url: `https://news.example.test/${name}/${index + 1}`,
    canonicalUrl: `https://news.example.test/${name}/${index + 1}`,
    title: `${name} story ${index + 1}`,
    summary: `What happened in ${name}, part ${index + 1}.`,
    author: null,
    publishedAt: null,
  }));
  await saveItems(stack.db, { runId: `seed-${name}`, streamId: 'seed', sourceId: source.id, items });
  return source.id;
}

const publications = async (query: string) => {
  const response = await stack.app.inject({ method: 'GET', url: `/publications?${query}` });
  expect(response.statusCode, response.body).toBe(200);
  return publicationSearchResponse.parse(response.json()).publications;
};

const callsTo = (chatId: string) => telegram.calls.filter((call) => call.chatId === chatId);

describe('telegram_publish through the dev server', () => {
  it('posts what a feed stream collected, in batches, each item once across runs and streams, with no token in any history', async () => {
    site.route('/feed.xml', { fixture: 'feeds/rss2-news.xml' });
    const feed = await createStream(stack.app, {
      name: 'gazette',
      type: 'rss_feed',
      config: { url: site.url('/feed.xml') },
    });
    expect((await waitForRunToClose(stack.app, await startRun(stack.app, feed.id))).result?.counts.new).toBe(4);

    const config = {
      channel_id: '@harbour_digest',
      sources: [feed.sourceId],
      batch_size: 3,
      delay_between_messages: 0,
    };
    const publisher = await createStream(stack.app, { name: 'gazette to telegram', type: 'telegram_publish', config });
    const first = await waitForRunToClose(stack.app, await startRun(stack.app, publisher.id));
    expect(first.status).toBe('completed');
    expect(first.result?.counts).toMatchObject({ found: 3, published: 3, refused: 0, unknown: 0 });

    const sent = callsTo('@harbour_digest');
    expect(sent).toHaveLength(3);
    expect(
      sent.every(
        (call) =>
          call.token === TOKEN &&
          call.method === 'sendMessage' &&
          call.parseMode === 'HTML' &&
          call.linkPreviewDisabled === false,
      ),
    ).toBe(true);
    // Oldest first, as collected; HTML-escaped title in bold, the link on the last line.
    expect(sent[0]?.text).toMatch(
      /^<b>Council approves new ferry timetable<\/b>\n\n[\s\S]*\n\nhttps:\/\/news\.example\.test\/2026\/11\/ferry-timetable\?utm_source=rss&amp;utm_medium=feed$/,
    );

    const second = await waitForRunToClose(stack.app, await startRun(stack.app, publisher.id));
    expect(second.result?.counts).toMatchObject({ found: 1, published: 1 });
    const third = await waitForRunToClose(stack.app, await startRun(stack.app, publisher.id));
    expect(third.result?.counts).toMatchObject({ found: 0, published: 0 });
    expect(callsTo('@harbour_digest')).toHaveLength(4);
    expect(new Set(callsTo('@harbour_digest').map((call) => call.text.split('\n')[0])).size).toBe(4);

    // A second stream on the same channel finds nothing left to post; another channel gets everything.
    const twin = await createStream(stack.app, { name: 'gazette to telegram, twin', type: 'telegram_publish', config });
    expect((await waitForRunToClose(stack.app, await startRun(stack.app, twin.id))).result?.counts).toMatchObject({
      found: 0,
      published: 0,
    });
    const elsewhere = await createStream(stack.app, {
      name: 'gazette to the newsroom',
      type: 'telegram_publish',
      config: { ...config, channel_id: '-1001234567890', bot: 'newsroom', batch_size: 10, disable_link_preview: true },
    });
    expect((await waitForRunToClose(stack.app, await startRun(stack.app, elsewhere.id))).result?.counts).toMatchObject({
      published: 4,
    });
    expect(callsTo('-1001234567890').map((call) => [call.token, call.linkPreviewDisabled])).toEqual(
      Array(4).fill([NEWSROOM_TOKEN, true]),
    );

    const listed = await publications(`streamId=${publisher.id}&limit=10`);
    expect(listed).toHaveLength(4);
    expect(
      listed.every(
        (publication) => publication.status === 'sent' && publication.channel === 'telegram:@harbour_digest',
      ),
    ).toBe(true);
    expect(listed.map((publication) => Number(publication.externalId)).sort()).toEqual(
      callsTo('@harbour_digest')
        .map((call) => call.messageId)
        .sort(),
    );

    for (const runId of [first.id, second.id]) {
      const history = await stack.client.workflow.getHandle(runId).fetchHistory();
      expect(JSON.stringify(history)).not.toContain(TOKEN.split(':')[1]);
    }
    // Each step carries a summary for the Temporal UI's timeline.
    const events = (await stack.client.workflow.getHandle(first.id).fetchHistory()).events ?? [];
    const summaries = events
      .filter((event) => event.activityTaskScheduledEventAttributes)
      .map(
        (event) =>
          JSON.parse(
            Buffer.from(event.userMetadata?.summary?.data ?? new Uint8Array()).toString('utf8') || 'null',
          ) as unknown,
      );
    expect(summaries).toEqual(['Publish to a Telegram channel', "record the run's outcome on the stream"]);
    expect((await getRun(stack.app, first.id)).streamId).toBe(publisher.id);
  });

  it('waits out a 429 for its retry_after, goes on past a refused message, and posts nothing twice', async () => {
    const sourceId = await sourceWithItems('ratelimited', 3);
    const stream = await createStream(stack.app, {
      name: 'rate limited',
      type: 'telegram_publish',
      config: { channel_id: '@rate_limited', sources: [sourceId], delay_between_messages: 0 },
    });
    telegram.answerNext(
      { ok: true },
      { status: 400, fixture: 'message-too-long.json' },
      { status: 429, fixture: 'too-many-requests.json' },
    );

    const run = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id));

    expect(run.status).toBe('completed');
    expect(run.result).toMatchObject({ attempt: 2, counts: { found: 3, published: 2, refused: 1, unknown: 0 } });
    const calls = callsTo('@rate_limited');
    expect(calls.map((call) => call.text.split('\n')[0])).toEqual([
      '<b>ratelimited story 1</b>',
      '<b>ratelimited story 2</b>',
      '<b>ratelimited story 3</b>',
      '<b>ratelimited story 3</b>',
    ]);
    expect(calls.filter((call) => call.messageId !== undefined)).toHaveLength(2);
    // retry_after: 1 in the 429's body set the retry's delay (the task's own first interval is 5 s).
    const waited = (calls[3]?.at ?? 0) - (calls[2]?.at ?? 0);
    expect(waited).toBeGreaterThanOrEqual(900);
    expect(waited).toBeLessThan(4500);
    const rows = await publications(`streamId=${stream.id}`);
    expect(rows.map((row) => [row.title, row.status])).toEqual([
      ['ratelimited story 3', 'sent'],
      ['ratelimited story 2', 'refused'],
      ['ratelimited story 1', 'sent'],
    ]);
    expect(rows[1]?.error).toContain('message is too long');
  });

  it('marks a message whose answer never came as unknown and does not send it again', async () => {
    const sourceId = await sourceWithItems('lostanswer', 2);
    const stream = await createStream(stack.app, {
      name: 'lost answer',
      type: 'telegram_publish',
      config: { channel_id: '@lost_answer', sources: [sourceId], delay_between_messages: 0 },
      runPolicy: { initialIntervalSeconds: 0.5 },
    });
    telegram.answerNext({ hold: true });

    const run = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id));

    expect(run.status).toBe('completed');
    expect(run.result).toMatchObject({ attempt: 2, counts: { found: 2, published: 1, unknown: 1 } });
    expect(callsTo('@lost_answer').map((call) => call.text.split('\n')[0])).toEqual([
      '<b>lostanswer story 1</b>',
      '<b>lostanswer story 2</b>',
    ]);
    const unknown = await publications(`streamId=${stream.id}&status=unknown`);
    expect(unknown).toHaveLength(1);
    expect(unknown[0]?.error).toContain('may or may not have been posted');
    // Later runs leave it alone: a duplicate post cannot be taken back.
    expect((await waitForRunToClose(stack.app, await startRun(stack.app, stream.id))).result?.counts).toMatchObject({
      found: 0,
      published: 0,
    });
    expect(callsTo('@lost_answer')).toHaveLength(2);

    // Until a person who looked at the channel says it is not there: then the next run sends it.
    const resolve = (id: number, payload: Record<string, unknown>) =>
      stack.app.inject({ method: 'POST', url: `/publications/${id}/resolve`, payload });
    const unknownId = unknown[0]?.id ?? 0;
    expect((await resolve(unknownId, { outcome: 'not_sent' })).statusCode).toBe(204);
    expect((await waitForRunToClose(stack.app, await startRun(stack.app, stream.id))).result?.counts).toMatchObject({
      found: 1,
      published: 1,
    });
    expect(callsTo('@lost_answer').map((call) => call.text.split('\n')[0])).toEqual([
      '<b>lostanswer story 1</b>',
      '<b>lostanswer story 2</b>',
      '<b>lostanswer story 1</b>',
    ]);
    const sentId = (await publications(`streamId=${stream.id}&status=sent`))[0]?.id ?? 0;
    const conflict = await resolve(sentId, { outcome: 'not_sent' });
    expect(conflict.statusCode).toBe(409);
    expect(errorResponse.parse(conflict.json()).error.code).toBe('PUBLICATION_NOT_UNKNOWN');
    expect((await resolve(2_000_000_000, { outcome: 'sent' })).statusCode).toBe(404);
    expect((await resolve(sentId, { outcome: 'maybe' })).statusCode).toBe(400);
  });

  it("records a person's word that an unknown message is in the channel", async () => {
    const sourceId = await sourceWithItems('confirmed', 1);
    const stream = await createStream(stack.app, {
      name: 'confirmed answer',
      type: 'telegram_publish',
      config: { channel_id: '@confirmed_answer', sources: [sourceId], delay_between_messages: 0 },
      runPolicy: { initialIntervalSeconds: 0.5 },
    });
    telegram.answerNext({ hold: true });
    expect((await waitForRunToClose(stack.app, await startRun(stack.app, stream.id))).result?.counts).toMatchObject({
      unknown: 1,
    });
    const [unknown] = await publications(`streamId=${stream.id}&status=unknown`);

    const response = await stack.app.inject({
      method: 'POST',
      url: `/publications/${unknown?.id ?? 0}/resolve`,
      payload: { outcome: 'sent', externalId: '4242' },
    });

    expect(response.statusCode, response.body).toBe(200);
    expect(publicationResponse.parse(response.json())).toMatchObject({
      status: 'sent',
      externalId: '4242',
      error: null,
    });
    expect((await waitForRunToClose(stack.app, await startRun(stack.app, stream.id))).result?.counts).toMatchObject({
      found: 0,
    });
    expect(callsTo('@confirmed_answer')).toHaveLength(1);
  });

  it('fails at once, without retrying, when the chat cannot be posted to, and gives the claim back', async () => {
    const sourceId = await sourceWithItems('nochat', 2);
    const stream = await createStream(stack.app, {
      name: 'no such chat',
      type: 'telegram_publish',
      config: { channel_id: '-1009999999999', sources: [sourceId], delay_between_messages: 0 },
    });
    telegram.answerNext({ status: 400, fixture: 'chat-not-found.json' });

    const run = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id));

    expect(run.status).toBe('failed');
    expect(run.error).toMatchObject({ type: FailureType.HttpPermanent });
    expect(run.error?.message).toContain('chat not found');
    expect(callsTo('-1009999999999')).toHaveLength(1);
    expect(await publications(`streamId=${stream.id}`)).toEqual([]);
  });

  it('fails with the variable to set when the worker has no token for the bot, before sending anything', async () => {
    const sourceId = await sourceWithItems('notoken', 1);
    const stream = await createStream(stack.app, {
      name: 'no token',
      type: 'telegram_publish',
      config: { channel_id: '@no_token', sources: [sourceId], bot: 'marketing' },
    });

    const run = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id));

    expect(run.status).toBe('failed');
    expect(run.error).toMatchObject({ type: FailureType.Configuration });
    expect(run.error?.message).toContain('TELEGRAM_BOT_TOKEN_MARKETING');
    expect(callsTo('@no_token')).toHaveLength(0);
  });

  it('refuses a config that carries a bot token, naming the field and where the token goes instead', async () => {
    const response = await stack.app.inject({
      method: 'POST',
      url: '/streams',
      payload: {
        name: 'token in config',
        type: 'telegram_publish',
        config: { channel_id: '@x_channel', sources: ['src_1'], bot_token: TOKEN },
      },
    });
    expect(response.statusCode).toBe(400);
    const issues = errorResponse.parse(response.json()).error.issues ?? [];
    expect(issues.find((issue) => issue.path === 'body.config.bot_token')?.message).toContain('TELEGRAM_BOT_TOKEN');
    expect(response.body).not.toContain(TOKEN);
  });

  it('stops between messages when cancelled: what was sent stays recorded, nothing is left half-claimed', async () => {
    const sourceId = await sourceWithItems('cancelled', 3);
    const stream = await createStream(stack.app, {
      name: 'cancelled publisher',
      type: 'telegram_publish',
      config: { channel_id: '@cancelled_pub', sources: [sourceId], delay_between_messages: 30 },
    });
    const runId = await startRun(stack.app, stream.id);
    await waitFor(() => (callsTo('@cancelled_pub').length === 1 ? true : undefined));

    const cancelledAt = Date.now();
    const cancel = await stack.app.inject({ method: 'POST', url: `/runs/${runId}/cancel` });
    expect(cancel.statusCode).toBe(202);
    const run = await waitForRunToClose(stack.app, runId);

    expect(run.status).toBe('cancelled');
    expect(Date.now() - cancelledAt).toBeLessThan(10_000);
    expect(callsTo('@cancelled_pub')).toHaveLength(1);
    expect((await publications(`streamId=${stream.id}`)).map((row) => row.status)).toEqual(['sent']);
  });

  it('previews the messages in a dry run without sending or claiming anything', async () => {
    const sourceId = await sourceWithItems('preview', 2);
    const response = await stack.app.inject({
      method: 'POST',
      url: '/runs',
      payload: {
        type: 'telegram_publish',
        config: { channel_id: '@preview_channel', sources: [sourceId], excerpt_length: 0 },
        dryRun: true,
      },
    });
    expect(response.statusCode, response.body).toBe(202);
    const run = await waitForRunToClose(stack.app, adHocRunStartedResponse.parse(response.json()).runId);

    expect(run.status).toBe('completed');
    expect(run.result?.publicationPreview?.map((message) => message.text)).toEqual([
      '<b>preview story 1</b>\n\nhttps://news.example.test/preview/1',
      '<b>preview story 2</b>\n\nhttps://news.example.test/preview/2',
    ]);
    expect(callsTo('@preview_channel')).toHaveLength(0);
    expect(await publications('channel=telegram:@preview_channel')).toEqual([]);
  });
});

describe('doc_publisher through the dev server', () => {
  it("posts a medium's due docs oldest first, marks them publish (or failed when refused), and never posts one twice", async () => {
    const created = await stack.app.inject({ method: 'POST', url: '/media', payload: { name: 'Harbour Digest' } });
    expect(created.statusCode, created.body).toBe(201);
    const media = mediaResponse.parse(created.json());
    await saveDocs(stack.db, {
      runId: 'written-1',
      streamId: 'str_writer',
      mediaId: media.id,
      docs: [
        {
          title: 'Ferries run again',
          text: 'The ferries run again from Monday.',
          url: 'https://news.example.test/ferries',
        },
        { title: 'Too long for Telegram', text: 'Imagine this were very long.', url: null },
        { title: 'Storm passed', text: 'The storm passed <quietly> & without damage.', url: null },
      ],
    });
    const [ferries, tooLong, storm] = (
      await stack.db.selectFrom('docs').select('id').where('run_id', '=', 'written-1').orderBy('position').execute()
    ).map((row) => row.id);
    await stack.db
      .updateTable('docs')
      .set({ google_doc_url: 'https://docs.google.com/document/d/abc/edit', status: 'edit' })
      .where('id', '=', ferries ?? 0)
      .execute();
    await stack.db
      .updateTable('docs')
      .set({ status: 'publish' })
      .where('id', '=', storm ?? 0)
      .execute();

    const stream = await createStream(stack.app, {
      name: 'digest docs to telegram',
      type: 'doc_publisher',
      config: { media_id: media.id, channel_id: '@digest_docs', google_doc_links: true, delay_between_messages: 0 },
    });
    telegram.answerNext({ ok: true }, { status: 400, fixture: 'message-too-long.json' });
    const run = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id));

    expect(run.status).toBe('completed');
    // The storm doc was published already (status publish): it is not due.
    expect(run.result?.counts).toMatchObject({ found: 2, published: 1, refused: 1 });
    expect(callsTo('@digest_docs').map((call) => call.text)).toEqual([
      '<b>Ferries run again</b>\n\nThe ferries run again from Monday.\n\nhttps://news.example.test/ferries\n\nGoogle Doc: https://docs.google.com/document/d/abc/edit',
      '<b>Too long for Telegram</b>\n\nImagine this were very long.',
    ]);
    const statuses = await stack.db
      .selectFrom('docs')
      .select(['id', 'status', 'published_at'])
      .where('run_id', '=', 'written-1')
      .orderBy('position')
      .execute();
    expect(statuses.map((row) => row.status)).toEqual(['publish', 'failed', 'publish']);
    expect(statuses[0]?.published_at).not.toBeNull();
    const rows = await publications(`streamId=${stream.id}`);
    expect(rows.map((row) => [row.docId, row.itemId, row.status, row.title])).toEqual([
      [tooLong, null, 'refused', 'Too long for Telegram'],
      [ferries, null, 'sent', 'Ferries run again'],
    ]);

    // A failed doc stays failed for this channel: the refusal is recorded, it is not tried again here.
    expect((await waitForRunToClose(stack.app, await startRun(stack.app, stream.id))).result?.counts).toMatchObject({
      found: 0,
      published: 0,
    });
    expect(callsTo('@digest_docs')).toHaveLength(2);
  });

  it('fails without sending when the medium does not exist', async () => {
    const stream = await createStream(stack.app, {
      name: 'no medium',
      type: 'doc_publisher',
      config: { media_id: 'med_missing', channel_id: '@no_medium' },
    });
    const run = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id));
    expect(run.status).toBe('failed');
    expect(run.error).toMatchObject({ type: FailureType.Validation });
    expect(run.error?.message).toContain('no medium med_missing');
  });
});

describe('telegram_doc_publisher through the dev server', () => {
  it("announces the docs that have a Google Doc with the stream's template, escaped, and marks them publish", async () => {
    const media = mediaResponse.parse(
      (await stack.app.inject({ method: 'POST', url: '/media', payload: { name: 'Review desk' } })).json(),
    );
    await saveDocs(stack.db, {
      runId: 'written-review',
      streamId: 'str_writer',
      mediaId: media.id,
      docs: [
        { title: 'Quay <repairs> & delays', text: 'Text one.', url: null },
        { title: 'Still being written', text: 'Text two.', url: null },
        { title: 'Not in a Google Doc yet', text: 'Text three.', url: null },
      ],
    });
    const [linked, unlinked, fresh] = (
      await stack.db
        .selectFrom('docs')
        .select('id')
        .where('run_id', '=', 'written-review')
        .orderBy('position')
        .execute()
    ).map((row) => row.id);
    await stack.db
      .updateTable('docs')
      .set({ status: 'edit', google_doc_url: 'https://docs.google.com/document/d/q1/edit' })
      .where('id', '=', linked ?? 0)
      .execute();
    await stack.db
      .updateTable('docs')
      .set({ status: 'edit' })
      .where('id', '=', unlinked ?? 0)
      .execute();

    const stream = await createStream(stack.app, {
      name: 'review announcements',
      type: 'telegram_doc_publisher',
      config: {
        media_id: media.id,
        channel_id: '@review_desk',
        message_template: 'Review {{now}}: <b>{title}</b>\n{google_doc_link}',
        delay_between_messages: 0,
      },
    });
    const run = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id));

    expect(run.status).toBe('completed');
    expect(run.result?.counts).toMatchObject({ found: 1, published: 1 });
    expect(callsTo('@review_desk').map((call) => call.text)).toEqual([
      'Review {now}: <b>Quay &lt;repairs&gt; &amp; delays</b>\nhttps://docs.google.com/document/d/q1/edit',
    ]);
    const statuses = await stack.db
      .selectFrom('docs')
      .select(['id', 'status'])
      .where('run_id', '=', 'written-review')
      .orderBy('position')
      .execute();
    expect(statuses).toEqual([
      { id: linked, status: 'publish' },
      { id: unlinked, status: 'edit' },
      { id: fresh, status: 'new' },
    ]);
  });

  it('refuses a template with an unknown placeholder when the stream is saved', async () => {
    const response = await stack.app.inject({
      method: 'POST',
      url: '/streams',
      payload: {
        name: 'bad template',
        type: 'telegram_doc_publisher',
        config: { media_id: 'med_x', channel_id: '@review_desk', message_template: '{title} {chat_id}' },
      },
    });
    expect(response.statusCode).toBe(400);
    expect(errorResponse.parse(response.json()).error.issues).toEqual([
      {
        path: 'body.config.message_template',
        message: 'unknown placeholder {chat_id} (known: {title}, {google_doc_link}, {text}, {url})',
      },
    ]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docResponse, mediaResponse, publicationSearchResponse } from '../../src/api/openapi/response-schemas.js';
import { saveDocs } from '../../src/db/docs-repository.js';
import { saveItems } from '../../src/db/items-repository.js';
import { ensureSourceNamed } from '../../src/db/sources-repository.js';
import { createStream, startRun, waitForRunToClose } from '../helpers/api.js';
import { FakeBotApi } from '../helpers/fake-bot-api.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';

const TOKEN = '123456789:AAH-defects-test-token-kept-secret_q7';

let stack: TestStack;
let telegram: FakeBotApi;

beforeAll(async () => {
  telegram = await FakeBotApi.start([TOKEN]);
  stack = await startTestStack({
    telegram: { apiBaseUrl: telegram.origin, botTokens: { TELEGRAM_BOT_TOKEN: TOKEN }, timeoutMs: 1500 },
  });
});

afterAll(async () => {
  await stack?.close();
  await telegram?.close();
});

const callsTo = (chatId: string) => telegram.calls.filter((call) => call.chatId === chatId);

const publications = async (query: string) => {
  const response = await stack.app.inject({ method: 'GET', url: `/publications?${query}` });
  expect(response.statusCode, response.body).toBe(200);
  return publicationSearchResponse.parse(response.json()).publications;
};

describe('batch_size is per run', () => {
  it('sends at most batch_size messages in a run, counting what an attempt before a retry sent', async () => {
    const source = await ensureSourceNamed(stack.db, 'batched');
    const items = Array.from({ length: 5 }, (_, index) => ({
      url: `https://news.example.test/batched/${index + 1}`,
      canonicalUrl: `https://news.example.test/batched/${index + 1}`,
      title: `batched story ${index + 1}`,
      summary: null,
      author: null,
      publishedAt: null,
    }));
    await saveItems(stack.db, { runId: 'seed-batched', streamId: 'seed', sourceId: source.id, items });
    const stream = await createStream(stack.app, {
      name: 'batched to telegram',
      type: 'telegram_publish',
      config: { channel_id: '@batched', sources: [source.id], batch_size: 3, delay_between_messages: 0 },
    });
    // Two go out, the third is rate-limited (not sent): the retried attempt has one message left of its batch.
    telegram.answerNext({ ok: true }, { ok: true }, { status: 429, fixture: 'too-many-requests.json' });

    const run = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id));

    expect(run.status).toBe('completed');
    expect(run.result).toMatchObject({ attempt: 2, counts: { found: 3, published: 3, refused: 0, unknown: 0 } });
    expect(
      callsTo('@batched')
        .filter((call) => call.messageId !== undefined)
        .map((call) => call.text.split('\n')[0]),
    ).toEqual(['<b>batched story 1</b>', '<b>batched story 2</b>', '<b>batched story 3</b>']);
    // The rest wait for the next run, which sends them.
    expect((await waitForRunToClose(stack.app, await startRun(stack.app, stream.id))).result?.counts).toMatchObject({
      found: 2,
      published: 2,
    });
  });
});

describe('a refused doc an editor fixed', () => {
  it('is sent again by the next run, while a sent doc is never sent twice', async () => {
    const created = await stack.app.inject({ method: 'POST', url: '/media', payload: { name: 'Refusals Desk' } });
    const media = mediaResponse.parse(created.json());
    await saveDocs(stack.db, {
      runId: 'written-refusals',
      streamId: 'str_writer',
      mediaId: media.id,
      docs: [
        { title: 'Accepted first time', text: 'Fine as it is.', url: null },
        { title: 'Refused first time', text: 'Imagine this were far too long.', url: null },
      ],
    });
    const [accepted, refused] = (
      await stack.db
        .selectFrom('docs')
        .select('id')
        .where('run_id', '=', 'written-refusals')
        .orderBy('position')
        .execute()
    ).map((row) => row.id);
    const stream = await createStream(stack.app, {
      name: 'refusals to telegram',
      type: 'doc_publisher',
      config: { media_id: media.id, channel_id: '@refusals', delay_between_messages: 0 },
    });
    telegram.answerNext({ ok: true }, { status: 400, fixture: 'message-too-long.json' });
    expect((await waitForRunToClose(stack.app, await startRun(stack.app, stream.id))).result?.counts).toMatchObject({
      found: 2,
      published: 1,
      refused: 1,
    });

    // Not fixed yet: the refusal holds.
    expect((await waitForRunToClose(stack.app, await startRun(stack.app, stream.id))).result?.counts).toMatchObject({
      found: 0,
    });

    // An edit that changes nothing is not a fix; one that shortens the text is.
    const same = await stack.app.inject({
      method: 'PATCH',
      url: `/documents/${refused}`,
      payload: { text: 'Imagine this were far too long.' },
    });
    expect(same.statusCode, same.body).toBe(200);
    expect((await publications(`streamId=${stream.id}&status=refused`)).map((row) => row.docId)).toEqual([refused]);
    const edited = await stack.app.inject({
      method: 'PATCH',
      url: `/documents/${refused}`,
      payload: { text: 'Short now.' },
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(docResponse.parse(edited.json())).toMatchObject({ id: refused, text: 'Short now.', status: 'failed' });
    expect(await publications(`streamId=${stream.id}&status=refused`)).toEqual([]);

    // Editing the doc that went out clears nothing: its sent publication stays, and it is not due again.
    const touched = await stack.app.inject({
      method: 'PATCH',
      url: `/documents/${accepted}`,
      payload: { title: 'Accepted, retitled', status: 'edit' },
    });
    expect(touched.statusCode, touched.body).toBe(200);

    const rerun = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id));
    expect(rerun.result?.counts).toMatchObject({ found: 1, published: 1, refused: 0 });
    expect(
      callsTo('@refusals')
        .filter((call) => call.messageId !== undefined)
        .map((call) => call.text),
    ).toEqual(['<b>Accepted first time</b>\n\nFine as it is.', '<b>Refused first time</b>\n\nShort now.']);
    expect(
      (
        await stack.db
          .selectFrom('docs')
          .select('status')
          .where('id', '=', refused ?? 0)
          .executeTakeFirstOrThrow()
      ).status,
    ).toBe('publish');
    expect((await publications(`streamId=${stream.id}`)).map((row) => [row.docId, row.status])).toEqual([
      [refused, 'sent'],
      [accepted, 'sent'],
    ]);
  });
});

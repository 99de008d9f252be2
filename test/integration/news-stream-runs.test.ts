import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FailureType } from '../../schemas/failure-types.js';
import {
  adHocRunStartedResponse,
  docSearchResponse,
  errorResponse,
  mediaResponse,
} from '../../src/api/openapi/response-schemas.js';
import { saveItems } from '../../src/db/items-repository.js';
import { ensureSourceNamed } from '../../src/db/sources-repository.js';
import { createStream, startRun, waitFor, waitForRunToClose } from '../helpers/api.js';
import { FakeModelApi } from '../helpers/fake-model-api.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';

const API_KEY = 'sk-ant-test-key-that-must-stay-secret';

let stack: TestStack;
let model: FakeModelApi;

beforeAll(async () => {
  model = await FakeModelApi.start();
  stack = await startTestStack({ llm: { apiBaseUrl: model.origin, apiKey: API_KEY, timeoutMs: 10_000 } });
});

afterAll(async () => {
  await stack?.close();
  await model?.close();
});

/** A medium over one source holding fresh news, as collection streams would have left it. */
async function mediumWithNews(name: string, titles: string[]): Promise<string> {
  const source = await ensureSourceNamed(stack.db, `${name} source`);
  const items = titles.map((title, index) => ({
    url: `https://news.example.test/${name}/${index + 1}`,
    canonicalUrl: `https://news.example.test/${name}/${index + 1}`,
    title,
    summary: `${title}: what happened, in a sentence.`,
    author: null,
    publishedAt: null,
  }));
  await saveItems(stack.db, { runId: `seed-${name}`, streamId: 'seed', sourceId: source.id, items });
  const created = await stack.app.inject({
    method: 'POST',
    url: '/media',
    payload: { name, sourceIds: [source.id], styleExamples: ['Calm. Short. Facts first.'] },
  });
  expect(created.statusCode, created.body).toBe(201);
  return mediaResponse.parse(created.json()).id;
}

const prompts = {
  system_prompt: 'You edit a harbour digest. Match this style:\n{examples}',
  user_prompt_template: 'It is {now}. Write short stories from these news, a {{digest}}:\n\n{news}',
};

const docsOf = async (query: string) =>
  docSearchResponse.parse((await stack.app.inject({ method: 'GET', url: `/documents?${query}` })).json()).docs;

describe('news_stream through the dev server', () => {
  it("gives the medium's recent news and style to the model and saves the documents it writes as new docs", async () => {
    const mediaId = await mediumWithNews('digest', [
      'Council approves new ferry timetable',
      'Storm warning for the weekend',
    ]);
    const stream = await createStream(stack.app, {
      name: 'digest writer',
      type: 'news_stream',
      config: { media_id: mediaId, ...prompts, max_docs: 3 },
    });

    const run = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id));

    expect(run.status).toBe('completed');
    expect(run.result?.counts).toMatchObject({ found: 2, collected: 2, new: 2 });
    const call = model.calls.at(-1);
    expect(call?.apiKey).toBe(API_KEY);
    expect(call?.version).toBe('2023-06-01');
    expect(call?.body).toMatchObject({
      model: 'claude-sonnet-4-5',
      temperature: 0,
      max_tokens: 4096,
      tool_choice: { type: 'tool', name: 'create_documents' },
    });
    expect(call?.body.system).toBe('You edit a harbour digest. Match this style:\nCalm. Short. Facts first.');
    const user = call?.body.messages?.[0]?.content ?? '';
    expect(user).toMatch(/^It is \d{4}-\d{2}-\d{2}T[\d:.]+Z\. Write short stories from these news, a \{digest\}:\n\n/);
    // Newest first, in the old system's Title / Content / URL blocks.
    expect(user).toContain(
      'Title: Storm warning for the weekend\nContent: Storm warning for the weekend: what happened, in a sentence.\nURL: https://news.example.test/digest/2\n---\nTitle: Council approves',
    );

    const docs = await docsOf(`mediaId=${mediaId}`);
    expect(docs.map((doc) => [doc.title, doc.status, doc.url, doc.runId])).toEqual([
      ['Weekend storm warning', 'new', null, run.id],
      ['Ferries back on the new timetable', 'new', 'https://news.example.test/2026/11/ferry-timetable', run.id],
    ]);
    const history = await stack.client.workflow.getHandle(run.id).fetchHistory();
    expect(JSON.stringify(history)).not.toContain(API_KEY);
  });

  it('retries an overloaded model after its retry-after, and an answer without documents until one has them', async () => {
    const mediaId = await mediumWithNews('retrying', ['Fish market reopens']);
    const stream = await createStream(stack.app, {
      name: 'retrying writer',
      type: 'news_stream',
      config: { media_id: mediaId, ...prompts },
      runPolicy: { initialIntervalSeconds: 0.5, maximumAttempts: 3 },
    });
    model.answerNext(
      { status: 529, fixture: 'overloaded.json', headers: { 'retry-after': '1' } },
      { status: 200, fixture: 'prose-only.json' },
    );
    const before = model.calls.length;

    const run = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id));

    expect(run.status).toBe('completed');
    expect(run.result).toMatchObject({ attempt: 3, counts: { new: 2 } });
    const calls = model.calls.slice(before);
    expect(calls).toHaveLength(3);
    expect((calls[1]?.at ?? 0) - (calls[0]?.at ?? 0)).toBeGreaterThanOrEqual(900);
  });

  it('fails without retrying on a rejected key, and says which setting to check', async () => {
    const mediaId = await mediumWithNews('badkey', ['Lighthouse repainted']);
    const stream = await createStream(stack.app, {
      name: 'bad key writer',
      type: 'news_stream',
      config: { media_id: mediaId, ...prompts },
    });
    model.answerNext({ status: 401, fixture: 'invalid-key.json' });
    const before = model.calls.length;

    const run = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id));

    expect(run.status).toBe('failed');
    expect(run.error).toMatchObject({ type: FailureType.HttpPermanent });
    expect(run.error?.message).toContain('ANTHROPIC_API_KEY');
    expect(model.calls.length - before).toBe(1);
    expect(await docsOf(`mediaId=${mediaId}`)).toEqual([]);
  });

  it("writes nothing, without calling the model, when the medium's sources have no recent news", async () => {
    const mediaId = await mediumWithNews('quiet', []);
    const stream = await createStream(stack.app, {
      name: 'quiet writer',
      type: 'news_stream',
      config: { media_id: mediaId, ...prompts },
    });
    const before = model.calls.length;

    const run = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id));

    expect(run.status).toBe('completed');
    expect(run.result).toMatchObject({
      counts: { found: 0, new: 0 },
      warnings: [expect.stringContaining('nothing to write')],
    });
    expect(model.calls.length).toBe(before);
  });

  it('refuses a prompt with an unknown placeholder or without {news}, naming the field', async () => {
    const response = await stack.app.inject({
      method: 'POST',
      url: '/streams',
      payload: {
        name: 'bad prompt',
        type: 'news_stream',
        config: { media_id: 'med_x', system_prompt: 'Hi {name}', user_prompt_template: 'No news here' },
      },
    });
    expect(response.statusCode).toBe(400);
    const issues = errorResponse.parse(response.json()).error.issues ?? [];
    expect(issues.map((issue) => issue.path).sort()).toEqual([
      'body.config.system_prompt',
      'body.config.user_prompt_template',
    ]);
    expect(issues.find((issue) => issue.path === 'body.config.system_prompt')?.message).toContain(
      'unknown placeholder {name}',
    );
  });

  it('previews the documents in a dry run without saving them', async () => {
    const mediaId = await mediumWithNews('preview', ['Harbour festival announced']);
    const response = await stack.app.inject({
      method: 'POST',
      url: '/runs',
      payload: { type: 'news_stream', config: { media_id: mediaId, ...prompts }, dryRun: true },
    });
    expect(response.statusCode, response.body).toBe(202);

    const run = await waitForRunToClose(stack.app, adHocRunStartedResponse.parse(response.json()).runId);

    expect(run.status).toBe('completed');
    expect(run.result?.docPreview?.map((doc) => doc.title)).toEqual([
      'Ferries back on the new timetable',
      'Weekend storm warning',
    ]);
    expect(await docsOf(`mediaId=${mediaId}`)).toEqual([]);
  });

  it("closes the model's connection when the run is cancelled mid-answer", async () => {
    const mediaId = await mediumWithNews('cancelled', ['Quay closed for repairs']);
    const stream = await createStream(stack.app, {
      name: 'cancelled writer',
      type: 'news_stream',
      config: { media_id: mediaId, ...prompts },
    });
    model.answerNext({ hold: true });
    const before = model.calls.length;
    const runId = await startRun(stack.app, stream.id);
    await waitFor(() => (model.calls.length > before ? true : undefined));

    const cancelledAt = Date.now();
    expect((await stack.app.inject({ method: 'POST', url: `/runs/${runId}/cancel` })).statusCode).toBe(202);
    const run = await waitForRunToClose(stack.app, runId);

    expect(run.status).toBe('cancelled');
    const held = model.calls[before];
    await waitFor(() => held?.closedAt);
    expect((held?.closedAt ?? Infinity) - cancelledAt).toBeLessThan(3000);
    expect(await docsOf(`mediaId=${mediaId}`)).toEqual([]);
  });
});

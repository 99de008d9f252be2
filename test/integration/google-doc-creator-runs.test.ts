import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FailureType } from '../../schemas/failure-types.js';
import { adHocRunStartedResponse, mediaResponse } from '../../src/api/openapi/response-schemas.js';
import { saveDocs } from '../../src/db/docs-repository.js';
import { createStream, startRun, waitForRunToClose } from '../helpers/api.js';
import { FakeGoogleApi } from '../helpers/fake-google-api.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';

const FOLDER = '1FolderSharedWithNewLoom0001';

let stack: TestStack;
let google: FakeGoogleApi;

beforeAll(async () => {
  google = await FakeGoogleApi.start();
  stack = await startTestStack({
    google: { credentials: { json: google.serviceAccountJson() }, apiBaseUrl: google.origin, timeoutMs: 5000 },
  });
});

afterAll(async () => {
  await stack?.close();
  await google?.close();
});

/** A medium with new docs as news_stream would have written them; returns the medium and the doc ids in order. */
async function mediumWithDocs(name: string, titles: string[]): Promise<{ mediaId: string; docIds: number[] }> {
  const created = await stack.app.inject({ method: 'POST', url: '/media', payload: { name } });
  const mediaId = mediaResponse.parse(created.json()).id;
  await saveDocs(stack.db, {
    runId: `written-${name}`,
    streamId: 'str_writer',
    mediaId,
    docs: titles.map((title) => ({ title, text: `${title}: the full text.`, url: null })),
  });
  const rows = await stack.db
    .selectFrom('docs')
    .select('id')
    .where('run_id', '=', `written-${name}`)
    .orderBy('position')
    .execute();
  return { mediaId, docIds: rows.map((row) => row.id) };
}

const docRows = (mediaId: string) =>
  stack.db
    .selectFrom('docs')
    .select(['id', 'status', 'google_doc_url'])
    .where('media_id', '=', mediaId)
    .orderBy('id')
    .execute();
const filesFor = (docId: number) =>
  [...google.files.values()].filter((file) => file.appProperties.newloomDocId === String(docId));

describe('google_doc_creator through the dev server', () => {
  it('makes one Google Doc per new doc in the folder, holding its text, and moves the doc to edit with the link', async () => {
    const { mediaId, docIds } = await mediumWithDocs('drive desk', ['Ferries back', 'Storm passed']);
    await stack.db
      .updateTable('docs')
      .set({ status: 'publish' })
      .where('id', '=', docIds[1] ?? 0)
      .execute();
    const stream = await createStream(stack.app, {
      name: 'drive desk docs',
      type: 'google_doc_creator',
      config: { media_id: mediaId, folder_id: FOLDER },
    });

    const run = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id));

    expect(run.status).toBe('completed');
    expect(run.result?.counts).toMatchObject({ found: 1, published: 1 });
    const [file] = filesFor(docIds[0] ?? 0);
    expect(file).toMatchObject({
      name: 'Ferries back',
      mimeType: 'application/vnd.google-apps.document',
      parents: [FOLDER],
      text: 'Ferries back: the full text.',
    });
    expect(await docRows(mediaId)).toEqual([
      { id: docIds[0], status: 'edit', google_doc_url: `https://docs.google.com/document/d/${file?.id}/edit` },
      { id: docIds[1], status: 'publish', google_doc_url: null },
    ]);
    expect(filesFor(docIds[1] ?? 0)).toEqual([]);

    expect((await waitForRunToClose(stack.app, await startRun(stack.app, stream.id))).result?.counts).toMatchObject({
      found: 0,
      published: 0,
    });
  });

  it('finds the file an attempt made but never heard back about, instead of making a second one', async () => {
    const { mediaId, docIds } = await mediumWithDocs('lost answers', ['Quay repairs']);
    const stream = await createStream(stack.app, {
      name: 'lost answers docs',
      type: 'google_doc_creator',
      config: { media_id: mediaId, folder_id: FOLDER },
      runPolicy: { initialIntervalSeconds: 0.5 },
    });
    google.failNext('/upload/drive/v3/files', 503, { afterApplying: true });

    const run = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id));

    expect(run.status).toBe('completed');
    expect(run.result?.attempt).toBe(2);
    const files = filesFor(docIds[0] ?? 0);
    expect(files).toHaveLength(1);
    expect((await docRows(mediaId))[0]?.google_doc_url).toBe(`https://docs.google.com/document/d/${files[0]?.id}/edit`);
  });

  it('copies the template and puts the text on top once, even when the answer to filling it was lost', async () => {
    const template = google.store({
      name: 'Digest template',
      mimeType: 'application/vnd.google-apps.document',
      text: '\n— Harbour Digest, for review —',
    });
    const { mediaId, docIds } = await mediumWithDocs('templated', ['Lighthouse repainted']);
    const stream = await createStream(stack.app, {
      name: 'templated docs',
      type: 'google_doc_creator',
      config: { media_id: mediaId, folder_id: FOLDER, template_id: template.id },
      runPolicy: { initialIntervalSeconds: 0.5 },
    });
    google.failNext('POST /v1/documents/', 503, { afterApplying: true });

    const run = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id));

    expect(run.status).toBe('completed');
    expect(run.result?.attempt).toBe(2);
    const files = filesFor(docIds[0] ?? 0);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatchObject({
      name: 'Lighthouse repainted',
      text: 'Lighthouse repainted: the full text.\n— Harbour Digest, for review —',
      appProperties: { newloomFilled: 'true' },
    });
  });

  it('finishes a copy an earlier attempt left unfilled', async () => {
    const template = google.store({
      name: 'Second template',
      mimeType: 'application/vnd.google-apps.document',
      text: '\n(template)',
    });
    const { mediaId, docIds } = await mediumWithDocs('unfilled', ['Pier lights']);
    const stream = await createStream(stack.app, {
      name: 'unfilled docs',
      type: 'google_doc_creator',
      config: { media_id: mediaId, folder_id: FOLDER, template_id: template.id },
      runPolicy: { initialIntervalSeconds: 0.5 },
    });
    google.failNext('POST /v1/documents/', 503);

    const run = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id));

    expect(run.result?.attempt).toBe(2);
    expect(filesFor(docIds[0] ?? 0).map((file) => file.text)).toEqual(['Pier lights: the full text.\n(template)']);
  });

  it("makes exactly one file per doc when two runs overlap, even while Drive's search lags behind", async () => {
    const { mediaId, docIds } = await mediumWithDocs('overlap', ['Quay one', 'Quay two', 'Quay three', 'Quay four']);
    const config = { media_id: mediaId, folder_id: FOLDER };
    const streams = await Promise.all([
      createStream(stack.app, { name: 'overlap docs, first', type: 'google_doc_creator', config }),
      createStream(stack.app, { name: 'overlap docs, second', type: 'google_doc_creator', config }),
    ]);
    // A file just made is not found by a lookup for a while: only the claim can keep the other run off it.
    google.searchLagMs = 60_000;
    try {
      const runIds = await Promise.all(streams.map((stream) => startRun(stack.app, stream.id)));
      const runs = await Promise.all(runIds.map((runId) => waitForRunToClose(stack.app, runId)));
      expect(runs.map((run) => run.status)).toEqual(['completed', 'completed']);
      expect(runs.reduce((total, run) => total + (run.result?.counts.published ?? 0), 0)).toBe(4);
    } finally {
      google.searchLagMs = 0;
    }
    expect(docIds.map((docId) => filesFor(docId).length)).toEqual([1, 1, 1, 1]);
    const rows = await docRows(mediaId);
    expect(
      rows.every(
        (row) =>
          row.status === 'edit' &&
          row.google_doc_url === `https://docs.google.com/document/d/${filesFor(row.id)[0]?.id}/edit`,
      ),
    ).toBe(true);
  });

  it('makes at most batch_size files per run, counting what an earlier attempt made', async () => {
    const { mediaId, docIds } = await mediumWithDocs('batched', ['Dock one', 'Dock two', 'Dock three']);
    const stream = await createStream(stack.app, {
      name: 'batched docs',
      type: 'google_doc_creator',
      config: { media_id: mediaId, folder_id: FOLDER, batch_size: 2 },
      runPolicy: { initialIntervalSeconds: 0.5 },
    });
    // The first doc is made, the second's upload fails before anything is created: attempt 2 has one left.
    google.failNext('/upload/drive/v3/files', 503, { passFirst: 1 });

    const run = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id));

    expect(run.status).toBe('completed');
    expect(run.result?.attempt).toBe(2);
    expect(docIds.map((docId) => filesFor(docId).length)).toEqual([1, 1, 0]);
    expect((await docRows(mediaId)).map((row) => row.status)).toEqual(['edit', 'edit', 'new']);
  });

  it('fails without retrying when the folder is not shared, naming the account to share it with', async () => {
    const { mediaId } = await mediumWithDocs('unshared', ['Harbour festival']);
    const stream = await createStream(stack.app, {
      name: 'unshared docs',
      type: 'google_doc_creator',
      config: { media_id: mediaId, folder_id: '1FolderNobodySharedWithUs00' },
    });
    google.failNext('/upload/drive/v3/files', 404);

    const run = await waitForRunToClose(stack.app, await startRun(stack.app, stream.id));

    expect(run.status).toBe('failed');
    expect(run.error).toMatchObject({ type: FailureType.HttpPermanent });
    expect(run.error?.message).toContain(google.clientEmail);
    expect((await docRows(mediaId))[0]).toMatchObject({ status: 'new', google_doc_url: null });
  });

  it('lists what it would create in a dry run, creating nothing', async () => {
    const { mediaId } = await mediumWithDocs('dry desk', ['Market day']);
    const before = google.files.size;
    const response = await stack.app.inject({
      method: 'POST',
      url: '/runs',
      payload: { type: 'google_doc_creator', config: { media_id: mediaId, folder_id: FOLDER }, dryRun: true },
    });
    const run = await waitForRunToClose(stack.app, adHocRunStartedResponse.parse(response.json()).runId);

    expect(run.status).toBe('completed');
    expect(run.result?.publicationPreview?.map((entry) => entry.text)).toEqual(['Market day']);
    expect(google.files.size).toBe(before);
  });
});

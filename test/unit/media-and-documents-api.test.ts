import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  docResponse,
  docSearchResponse,
  errorResponse,
  mediaListResponse,
  mediaResponse,
} from '../../src/api/openapi/response-schemas.js';
import type { Database } from '../../src/db/database.js';
import { startUnitApi, type UnitApi } from '../helpers/unit-api.js';
import { saveDocs } from '../../src/db/docs-repository.js';
import { ensureSourceNamed } from '../../src/db/sources-repository.js';

let api: UnitApi;
let app: FastifyInstance;
let db: Database;

beforeAll(async () => {
  api = await startUnitApi();
  ({ app, db } = api);
});

afterAll(async () => {
  await api.close();
});

describe('media', () => {
  it('are created with their sources and style, listed, changed and deleted; names are unique, sources must exist', async () => {
    const [gazette, radio] = await Promise.all([ensureSourceNamed(db, 'gazette'), ensureSourceNamed(db, 'radio')]);
    const created = await app.inject({
      method: 'POST',
      url: '/media',
      payload: { name: 'Harbour Digest', sourceIds: [gazette.id], styleExamples: ['Short. Calm. Facts first.'] },
    });
    expect(created.statusCode, created.body).toBe(201);
    const media = mediaResponse.parse(created.json());
    expect(media).toMatchObject({
      name: 'Harbour Digest',
      sourceIds: [gazette.id],
      styleExamples: ['Short. Calm. Facts first.'],
    });
    expect(created.headers.location).toBe(`/media/${media.id}`);

    expect((await app.inject({ method: 'POST', url: '/media', payload: { name: 'Harbour Digest' } })).statusCode).toBe(
      409,
    );
    const unknownSource = await app.inject({
      method: 'POST',
      url: '/media',
      payload: { name: 'Other', sourceIds: [gazette.id, 'src_missing'] },
    });
    expect(unknownSource.statusCode).toBe(400);
    expect(errorResponse.parse(unknownSource.json()).error.issues).toEqual([
      { path: 'body.sourceIds.1', message: 'no source src_missing' },
    ]);
    expect((await app.inject({ method: 'POST', url: '/media', payload: { name: '', extra: 1 } })).statusCode).toBe(400);
    const twice = await app.inject({
      method: 'POST',
      url: '/media',
      payload: { name: 'Twice', sourceIds: [gazette.id, gazette.id] },
    });
    expect(twice.statusCode).toBe(400);
    expect(errorResponse.parse(twice.json()).error.issues).toEqual([
      { path: 'body.sourceIds', message: 'lists a source more than once' },
    ]);

    const changed = await app.inject({
      method: 'PATCH',
      url: `/media/${media.id}`,
      payload: { sourceIds: [radio.id, gazette.id] },
    });
    expect(mediaResponse.parse(changed.json()).sourceIds).toEqual([gazette.id, radio.id].sort());
    expect(
      mediaListResponse
        .parse((await app.inject({ method: 'GET', url: '/media' })).json())
        .media.map((listed) => listed.name),
    ).toEqual(['Harbour Digest']);
    expect((await app.inject({ method: 'GET', url: '/media/med_missing' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'PATCH', url: '/media/med_missing', payload: { name: 'x' } })).statusCode).toBe(
      404,
    );

    await saveDocs(db, {
      runId: 'run-1',
      streamId: 'str_x',
      mediaId: media.id,
      docs: [{ title: 'Ferries', text: 'Text', url: null }],
    });
    const refused = await app.inject({ method: 'DELETE', url: `/media/${media.id}` });
    expect(refused.statusCode).toBe(409);
    expect(errorResponse.parse(refused.json()).error.code).toBe('MEDIA_CONFLICT');

    const empty = mediaResponse.parse(
      (await app.inject({ method: 'POST', url: '/media', payload: { name: 'Empty' } })).json(),
    );
    expect((await app.inject({ method: 'DELETE', url: `/media/${empty.id}` })).statusCode).toBe(204);
    expect((await app.inject({ method: 'GET', url: `/media/${empty.id}` })).statusCode).toBe(404);
  });
});

describe('documents', () => {
  it('are listed by medium and status, read, and edited; a retried save adds nothing', async () => {
    const media = mediaResponse.parse(
      (await app.inject({ method: 'POST', url: '/media', payload: { name: 'Docs desk' } })).json(),
    );
    const docs = [
      { title: 'Storm', text: 'The storm passed.', url: 'https://news.example.test/storm' },
      { title: 'Ferries', text: 'Ferries run again.', url: null },
    ];
    expect(await saveDocs(db, { runId: 'run-d', streamId: 'str_d', mediaId: media.id, docs })).toEqual({ new: 2 });
    expect(await saveDocs(db, { runId: 'run-d', streamId: 'str_d', mediaId: media.id, docs })).toEqual({ new: 2 });

    const listed = docSearchResponse.parse(
      (await app.inject({ method: 'GET', url: `/documents?mediaId=${media.id}&limit=1` })).json(),
    );
    expect(listed.docs.map((doc) => doc.title)).toEqual(['Ferries']);
    const next = docSearchResponse.parse(
      (
        await app.inject({ method: 'GET', url: `/documents?mediaId=${media.id}&cursor=${listed.nextCursor ?? ''}` })
      ).json(),
    );
    expect(next).toMatchObject({
      docs: [{ title: 'Storm', status: 'new', url: 'https://news.example.test/storm' }],
      nextCursor: null,
    });

    const id = listed.docs[0]?.id ?? 0;
    const edited = await app.inject({
      method: 'PATCH',
      url: `/documents/${id}`,
      payload: { text: 'Ferries run again from Monday.', status: 'edit' },
    });
    expect(docResponse.parse(edited.json())).toMatchObject({
      text: 'Ferries run again from Monday.',
      status: 'edit',
      title: 'Ferries',
    });
    expect(
      docSearchResponse.parse(
        (await app.inject({ method: 'GET', url: `/documents?mediaId=${media.id}&status=edit` })).json(),
      ).docs,
    ).toHaveLength(1);

    expect(
      (await app.inject({ method: 'PATCH', url: `/documents/${id}`, payload: { status: 'gone' } })).statusCode,
    ).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/documents/abc' })).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/documents/999999' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/documents?status=unknown' })).statusCode).toBe(400);
    // Past PostgreSQL's integer ids: no row, never a database error.
    expect((await app.inject({ method: 'GET', url: '/documents/3000000000' })).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/documents?cursor=99999999999999999999' })).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/publications?cursor=3000000000' })).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/items?cursor=3000000000' })).statusCode).toBe(400);
  });
});

describe('ad-hoc runs', () => {
  it('need a source for collected links unless they are dry runs', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/runs',
      payload: { type: 'rss_feed', config: { url: 'https://gazette.test/rss' } },
    });
    expect(response.statusCode).toBe(400);
    expect(errorResponse.parse(response.json()).error.issues).toEqual([
      { path: 'body.sourceId', message: 'sourceId is required unless dryRun is true' },
    ]);
  });
});

import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CollectedItem } from '../../schemas/stream-run.js';
import { decodeCreatedCursor, type CreatedKey } from '../../src/db/created-cursor.js';
import { openDatabase, type Database } from '../../src/db/database.js';
import { findValidator, saveItems, searchItems } from '../../src/db/items-repository.js';
import {
  claimPublication,
  countRunPublications,
  findItemsToPublish,
  markInterruptedSends,
  releasePublication,
  searchPublications,
  settlePublication,
} from '../../src/db/publications-repository.js';
import { deleteSource, ensureSourceNamed, insertSource, SourceConflictError } from '../../src/db/sources-repository.js';
import {
  deleteStream,
  findStream,
  insertStream,
  listStreams,
  recordRunOutcome,
  setStreamStatus,
  StreamNameTakenError,
  updateStream,
} from '../../src/db/streams-repository.js';
import { createScratchDatabase } from '../helpers/postgres.js';

const postgresAdminUrl = inject('postgresAdminUrl');
if (!postgresAdminUrl && process.env.CI)
  throw new Error(
    "CI must run the storage tests on PostgreSQL too: no server could be started (is Debian's postgresql installed?)",
  );

const backends = [
  { name: 'SQLite', url: async () => `sqlite:${join(mkdtempSync(join(tmpdir(), 'newloom-storage-')), 'db.sqlite')}` },
  ...(postgresAdminUrl
    ? [
        {
          name: 'PostgreSQL',
          url: () => createScratchDatabase(postgresAdminUrl, `storage_${randomUUID().replace(/-/g, '')}`),
        },
      ]
    : []),
];
if (!postgresAdminUrl) console.warn('storage tests: no PostgreSQL server found; running them on SQLite only');

const item = (n: number, extra: Partial<CollectedItem> = {}): CollectedItem => ({
  url: `https://site.test/a/${n}?utm_source=x`,
  canonicalUrl: `https://site.test/a/${n}`,
  title: `Story ${n}`,
  summary: n % 2 ? '50% off: ferry_tickets' : null,
  author: null,
  publishedAt: '2026-11-23T10:00:00.000Z',
  ...extra,
});

describe.each(backends)('storage on $name', ({ url }) => {
  let db: Database;
  let databaseUrl: string;

  beforeAll(async () => {
    databaseUrl = await url();
    db = await openDatabase(databaseUrl);
  });

  afterAll(async () => {
    await db?.destroy();
  });

  it('migrates once: opening the database again applies nothing and keeps the data', async () => {
    await ensureSourceNamed(db, 'survivor');
    const again = await openDatabase(databaseUrl);
    const found = await again.selectFrom('sources').select('name').where('name', '=', 'survivor').execute();
    await again.destroy();
    expect(found).toHaveLength(1);
  });

  it('keeps source and stream names unique', async () => {
    const source = await insertSource(db, { name: 'Gazette', url: 'https://gazette.test/' });
    await expect(insertSource(db, { name: 'Gazette' })).rejects.toBeInstanceOf(SourceConflictError);
    expect((await ensureSourceNamed(db, 'Gazette')).id).toBe(source.id);
    await insertStream(db, { name: 'unique', taskType: 'rss_feed', config: {}, sourceId: source.id });
    await expect(
      insertStream(db, { name: 'unique', taskType: 'rss_feed', config: {}, sourceId: source.id }),
    ).rejects.toBeInstanceOf(StreamNameTakenError);
  });

  it('stores, filters, updates, pauses, records outcomes of and deletes streams', async () => {
    const source = await ensureSourceNamed(db, 'stream-source');
    const stream = await insertStream(db, {
      name: 'full',
      taskType: 'rss_feed',
      config: { url: 'https://x.test/feed', max_items: 5 },
      sourceId: source.id,
      frequency: { cron: '0 7 * * *', timezone: 'Europe/Berlin' },
      runPolicy: { maximumAttempts: 2 },
    });
    expect(await findStream(db, stream.id)).toMatchObject({
      config: { max_items: 5 },
      frequency: { cron: '0 7 * * *' },
      runPolicy: { maximumAttempts: 2 },
      overlapPolicy: 'skip',
    });

    const updated = await updateStream(db, stream.id, {
      frequency: '5min',
      runPolicy: null,
      overlapPolicy: 'buffer_one',
    });
    expect(updated).toMatchObject({ frequency: '5min', runPolicy: null, overlapPolicy: 'buffer_one' });
    expect(await setStreamStatus(db, stream.id, 'paused', 'maintenance')).toMatchObject({
      status: 'paused',
      pauseNote: 'maintenance',
    });
    expect((await listStreams(db, { limit: 50, status: 'paused' })).streams.map((found) => found.id)).toEqual([
      stream.id,
    ]);

    await recordRunOutcome(db, {
      streamId: stream.id,
      runId: 'run-9',
      status: 'failed',
      counts: { found: 1, collected: 1, new: 0, duplicate: 1 },
      error: 'HTTP 500',
    });
    expect((await findStream(db, stream.id))?.lastRun).toMatchObject({
      runId: 'run-9',
      status: 'failed',
      counts: { duplicate: 1 },
      error: 'HTTP 500',
    });

    expect(await deleteStream(db, stream.id)).toBe(true);
    expect(await findStream(db, stream.id)).toBeUndefined();
    expect(await deleteStream(db, stream.id)).toBe(false);
  });

  it('pages streams by a (created_at, id) cursor without gaps or repeats while streams come and go', async () => {
    const source = await ensureSourceNamed(db, 'keyset-source');
    const taskType = 'keyset_probe';
    const add = async (name: string, createdAt: string) => {
      const stream = await insertStream(db, { name, taskType, config: {}, sourceId: source.id });
      await db.updateTable('streams').set({ created_at: createdAt }).where('id', '=', stream.id).execute();
      return stream.id;
    };
    // Odd ones share one creation time, so the id orders them and pages end inside the tie.
    const original: string[] = [];
    for (let n = 0; n < 8; n += 1)
      original.push(await add(`keyset ${n}`, n % 2 ? '2026-05-01T00:00:00.000Z' : `2026-05-0${n + 2}T00:00:00.000Z`));

    const walked: string[] = [];
    let after: CreatedKey | undefined;
    let pages = 0;
    let deleted = '';
    let addedLast = '';
    do {
      const page = await listStreams(db, { limit: 3, taskType, after });
      walked.push(...page.streams.map((stream) => stream.id));
      pages += 1;
      after = page.nextCursor ? decodeCreatedCursor(page.nextCursor) : undefined;
      if (pages === 1) {
        deleted = original.find((id) => !walked.includes(id))!;
        await deleteStream(db, deleted);
        await add('keyset newest', '2030-01-01T00:00:00.000Z');
        addedLast = await add('keyset oldest', '2001-01-01T00:00:00.000Z');
      }
    } while (after && pages < 10);

    expect(new Set(walked).size).toBe(walked.length);
    const expected = await db
      .selectFrom('streams')
      .select('id')
      .where('task_type', '=', taskType)
      .where('name', '!=', 'keyset newest')
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    expect(walked).toEqual(expected.map((row) => row.id));
    expect([...walked].sort()).toEqual([...original.filter((id) => id !== deleted), addedLast].sort());
  });

  it('saves items once per source and canonical URL, and a repeated save reports the same counts', async () => {
    const source = await ensureSourceNamed(db, 'items-source');
    const other = await ensureSourceNamed(db, 'other-source');
    const stream = await insertStream(db, { name: 'items', taskType: 'rss_feed', config: {}, sourceId: source.id });
    const items = Array.from({ length: 130 }, (_, n) => item(n));

    const first = await saveItems(db, { runId: 'run-a', streamId: stream.id, sourceId: source.id, items });
    const retried = await saveItems(db, { runId: 'run-a', streamId: stream.id, sourceId: source.id, items });
    const later = await saveItems(db, {
      runId: 'run-b',
      streamId: stream.id,
      sourceId: source.id,
      items: [...items.slice(0, 10), item(500)],
    });
    const elsewhere = await saveItems(db, {
      runId: 'run-c',
      streamId: stream.id,
      sourceId: other.id,
      items: items.slice(0, 3),
    });

    expect(first).toEqual({ new: 130, duplicate: 0 });
    expect(retried).toEqual({ new: 130, duplicate: 0 });
    expect(later).toEqual({ new: 1, duplicate: 10 });
    expect(elsewhere).toEqual({ new: 3, duplicate: 0 });
    const count = await db
      .selectFrom('items')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('source_id', '=', source.id)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(131);
    await expect(deleteSource(db, source.id)).rejects.toBeInstanceOf(SourceConflictError);
  });

  it('saves HTTP validators with the items and replaces them on the next save', async () => {
    const source = await ensureSourceNamed(db, 'validator-source');
    const stream = await insertStream(db, {
      name: 'validators',
      taskType: 'rss_feed',
      config: {},
      sourceId: source.id,
    });
    const url = 'https://x.test/feed.xml';
    await saveItems(db, {
      runId: 'run-v1',
      streamId: stream.id,
      sourceId: source.id,
      items: [item(1)],
      validators: [{ url, etag: '"a"', lastModified: null }],
    });
    await saveItems(db, {
      runId: 'run-v2',
      streamId: stream.id,
      sourceId: source.id,
      items: [],
      validators: [{ url, etag: '"b"', lastModified: 'Mon, 23 Nov 2026 10:00:00 GMT' }],
    });
    expect(await findValidator(db, source.id, url)).toEqual({
      url,
      etag: '"b"',
      lastModified: 'Mon, 23 Nov 2026 10:00:00 GMT',
    });
    expect(await findValidator(db, 'another-source', url)).toBeUndefined();
  });

  it('keeps publications, ids included, through the migration that lets them record docs', async () => {
    const upgradedUrl = await url();
    const old = await openDatabase(upgradedUrl, { upTo: '0009-publication-status' });
    const source = await ensureSourceNamed(old, 'upgrade-source');
    // Rows as a run of that version wrote them (today's saveItems also writes tables that came later).
    await old
      .insertInto('items')
      .values(
        [item(1), item(2)].map((saved) => ({
          source_id: source.id,
          canonical_url: saved.canonicalUrl,
          url: saved.url,
          title: saved.title,
          summary: saved.summary,
          author: null,
          published_at: saved.publishedAt,
          first_seen_at: '2026-11-30T10:00:00.000Z',
          stream_id: 'str_u',
          run_id: 'run-u',
        })),
      )
      .execute();
    const itemIds = (await old.selectFrom('items').select('id').orderBy('id').execute()).map((row) => row.id);
    await sql`insert into publications (id, item_id, channel, stream_id, run_id, external_id, published_at, status, error) values (${2}, ${itemIds[0]}, 'telegram:@old', 'str_u', 'run-u', '2', '2026-11-30T10:00:00.000Z', 'sent', null), (${4}, ${itemIds[1]}, 'telegram:@old', 'str_u', 'run-u', '4', '2026-11-30T10:00:00.000Z', 'sent', null)`.execute(
      old,
    );
    await old.destroy();

    const upgraded = await openDatabase(upgradedUrl);
    try {
      expect(
        await upgraded
          .selectFrom('publications')
          .select(['id', 'item_id', 'doc_id', 'external_id'])
          .orderBy('id')
          .execute(),
      ).toEqual([
        { id: 2, item_id: itemIds[0], doc_id: null, external_id: '2' },
        { id: 4, item_id: itemIds[1], doc_id: null, external_id: '4' },
      ]);
      await saveItems(upgraded, { runId: 'run-v', streamId: 'str_u', sourceId: source.id, items: [item(3)] });
      const third = await upgraded
        .selectFrom('items')
        .select('id')
        .where('run_id', '=', 'run-v')
        .executeTakeFirstOrThrow();
      expect(
        await claimPublication(upgraded, {
          subject: { itemId: third.id },
          channel: 'telegram:@old',
          streamId: 'str_u',
          runId: 'run-v',
        }),
      ).toBe(true);
      expect(
        (
          await upgraded
            .selectFrom('publications')
            .select('id')
            .where('item_id', '=', third.id)
            .executeTakeFirstOrThrow()
        ).id,
      ).toBe(5);
    } finally {
      await upgraded.destroy();
    }
  });

  it('claims a publication once per item and channel, settles it, and offers only what no run has claimed', async () => {
    const source = await ensureSourceNamed(db, 'publish-source');
    const stream = await insertStream(db, { name: 'publish', taskType: 'rss_feed', config: {}, sourceId: source.id });
    await saveItems(db, {
      runId: 'run-p',
      streamId: stream.id,
      sourceId: source.id,
      items: [item(1), item(2), item(3)],
    });
    const since = new Date(Date.now() - 60_000).toISOString();
    const due = (channel: string) => findItemsToPublish(db, { sourceIds: [source.id], channel, since, limit: 10 });
    const [first, second, third] = await due('telegram:@harbour');
    if (!first || !second || !third) throw new Error('three items expected');
    const claim = (itemId: number, runId: string, channel = 'telegram:@harbour') =>
      claimPublication(db, { subject: { itemId }, channel, streamId: stream.id, runId });

    expect(await claim(first.id, 'run-p')).toBe(true);
    expect(await claim(first.id, 'run-q')).toBe(false);
    expect(await claim(first.id, 'run-q', 'telegram:@other')).toBe(true);
    await settlePublication(
      db,
      { subject: { itemId: first.id }, channel: 'telegram:@harbour' },
      { status: 'sent', externalId: '42' },
    );
    expect(await claim(second.id, 'run-p')).toBe(true);
    await settlePublication(
      db,
      { subject: { itemId: second.id }, channel: 'telegram:@harbour' },
      { status: 'refused', error: 'message is too long' },
    );
    expect(await claim(third.id, 'run-p')).toBe(true);
    await releasePublication(db, { subject: { itemId: third.id }, channel: 'telegram:@harbour', runId: 'run-p' });

    expect((await due('telegram:@harbour')).map((found) => found.id)).toEqual([third.id]);
    expect((await due('telegram:@other')).map((found) => found.id)).toEqual([second.id, third.id]);
    expect(await countRunPublications(db, 'run-p', 'telegram:@harbour')).toEqual({ sent: 1, refused: 1, unknown: 0 });

    // A claim an attempt left behind mid-send is unknown from then on, never offered again.
    expect(await claim(third.id, 'run-p')).toBe(true);
    expect(await markInterruptedSends(db, { channel: 'telegram:@harbour', runId: 'run-p', staleBefore: since })).toBe(
      1,
    );
    expect(await countRunPublications(db, 'run-p', 'telegram:@harbour')).toEqual({ sent: 1, refused: 1, unknown: 1 });
    expect(await due('telegram:@harbour')).toEqual([]);
    const listed = await searchPublications(db, { streamId: stream.id, channel: 'telegram:@harbour', limit: 2 });
    expect(listed.publications.map((publication) => publication.status)).toEqual(['unknown', 'refused']);
    expect(listed.publications[1]).toMatchObject({ itemId: second.id, url: second.url, error: 'message is too long' });
    const rest = await searchPublications(db, {
      streamId: stream.id,
      channel: 'telegram:@harbour',
      limit: 2,
      cursor: listed.nextCursor ?? undefined,
    });
    expect(rest).toMatchObject({ publications: [{ status: 'sent', externalId: '42' }], nextCursor: null });
  });

  it('searches items by text (wildcards taken literally), time and cursor', async () => {
    const source = await ensureSourceNamed(db, 'search-source');
    const stream = await insertStream(db, { name: 'search', taskType: 'rss_feed', config: {}, sourceId: source.id });
    await saveItems(db, {
      runId: 'run-s',
      streamId: stream.id,
      sourceId: source.id,
      items: [1, 2, 3, 4].map((n) => item(n, { title: n === 4 ? 'FERRY strike' : `Story ${n}` })),
    });

    const ferry = await searchItems(db, { streamId: stream.id, q: 'ferry', limit: 10 });
    expect(ferry.items.map((found) => found.title)).toEqual(['FERRY strike', 'Story 3', 'Story 1']);
    expect((await searchItems(db, { streamId: stream.id, q: '50%', limit: 10 })).items).toHaveLength(2);
    expect((await searchItems(db, { streamId: stream.id, q: '5_%', limit: 10 })).items).toHaveLength(0);
    expect((await searchItems(db, { streamId: stream.id, q: 'ferry_t', limit: 10 })).items).toHaveLength(2);

    const page1 = await searchItems(db, { streamId: stream.id, limit: 3 });
    const page2 = await searchItems(db, { streamId: stream.id, limit: 3, cursor: page1.nextCursor ?? undefined });
    expect([...page1.items, ...page2.items].map((found) => found.title)).toEqual([
      'FERRY strike',
      'Story 3',
      'Story 2',
      'Story 1',
    ]);
    expect(page2.nextCursor).toBeNull();
    expect((await searchItems(db, { streamId: stream.id, since: '2999-01-01T00:00:00Z', limit: 10 })).items).toEqual(
      [],
    );
    expect(
      (await searchItems(db, { streamId: stream.id, until: '2999-01-01T00:00:00Z', limit: 10 })).items,
    ).toHaveLength(4);
  });

  it("keeps an item's media addresses as a list, and none as an empty one", async () => {
    const source = await ensureSourceNamed(db, 'media-source');
    const stream = await insertStream(db, {
      name: 'media',
      taskType: 'telegram_channel',
      config: {},
      sourceId: source.id,
    });
    const media = ['https://cdn.test/a.jpg', 'https://cdn.test/b.mp4?token=x&y=1'];
    await saveItems(db, {
      runId: 'run-m',
      streamId: stream.id,
      sourceId: source.id,
      items: [item(1, { mediaUrls: media }), item(2, { mediaUrls: [] }), item(3)],
    });

    const { items } = await searchItems(db, { streamId: stream.id, limit: 10 });
    expect(items.map((found) => [found.title, found.mediaUrls])).toEqual([
      ['Story 3', []],
      ['Story 2', []],
      ['Story 1', media],
    ]);
  });
});

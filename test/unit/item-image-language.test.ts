import { readFileSync } from 'node:fs';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { extractArticle } from '../../activities/articles/extract-article.js';
import { createTaskActivities } from '../../activities/tasks/index.js';
import { saveAsCollected } from '../../activities/tasks/save-as-collected.js';
import type { CollectionOutput } from '../../schemas/stream-run.js';
import { MAX_IMAGE_URL_LENGTH, normaliseLanguageTag, storableImageUrl } from '../../schemas/text-limits.js';
import { openDatabase, type Database } from '../../src/db/database.js';
import { storeArticleText } from '../../src/db/enrichment-repository.js';
import { listItems, saveItems } from '../../src/db/items-repository.js';
import { insertSource } from '../../src/db/sources-repository.js';
import { insertStream } from '../../src/db/streams-repository.js';
import { createLogger } from '../../src/logger.js';
import { FixtureServer } from '../helpers/fixture-server.js';

// Real pages with their addresses (bench/extract-pages/README.md says where each comes from).
const pagesDir = new URL('../../bench/extract-pages/', import.meta.url);
const pageList = JSON.parse(readFileSync(new URL('pages.json', pagesDir), 'utf8')) as Array<{
  name: string;
  url: string;
}>;
const realPage = (name: string) => ({
  html: readFileSync(new URL(`${name}/source.html`, pagesDir), 'utf8'),
  url: pageList.find((page) => page.name === name)!.url,
});

describe('lead image and language of real pages', () => {
  it.each([
    // og:image and <html lang>
    [
      'np-cnn_001',
      'https://media.cnn.com/api/v1/images/stellar/prod/231103170300-samuel-alito-elizabeth-prelogar-split.jpg?c=16x9&q=w_800,c_fill',
      'en',
    ],
    [
      'np-arabic_article',
      'http://i.cdn.turner.com/cnn/arabic/2013/middle_east/8/3/syria.clashes/Gal.syria.assad.army.jpg_-1_-1.jpg',
      'ar',
    ],
    // A region, upper-cased
    [
      'np-cleveland.com1',
      'http://imgick.oregonlive.com/home/olive-media/width620/img/today/photo/16470669-standard.jpg',
      'en-US',
    ],
    // No image in the metadata: the article's first picture that says it is 600 pixels wide
    ['np-thai_article', 'https://farm8.staticflickr.com/7890/46097871864_6f2f471e68_k_d.jpg', 'th'],
    // A script subtag, title-cased; only thumbnails of 144 pixels, so no lead image
    ['np-chinese_article', null, 'zh-Hans'],
    // Banners without a size are not taken for the lead image
    ['np-spanish_article', null, 'es'],
    // A page that says neither
    ['uf-issue24', null, null],
  ])('%s', (name, image, language) => {
    const { html, url } = realPage(name);
    const page = extractArticle(html, url, undefined, undefined);
    expect({ image: page.image, language: page.language }).toEqual({ image, language });
  });
});

describe('storable lead image and language', () => {
  it('keeps only absolute http(s) image addresses within the cap', () => {
    expect(storableImageUrl('https://cdn.example.test/a.jpg')).toBe('https://cdn.example.test/a.jpg');
    expect(storableImageUrl('HTTP://cdn.example.test/a.jpg')).toBe('HTTP://cdn.example.test/a.jpg');
    for (const refused of [
      'javascript:alert(1)',
      'data:image/png;base64,AAAA',
      '/relative/a.jpg',
      'https://cdn.example.test/a b.jpg',
      'https://cdn.example.test/\u0000.jpg',
      `https://cdn.example.test/${'a'.repeat(MAX_IMAGE_URL_LENGTH)}`,
      '',
      null,
      undefined,
    ]) {
      expect(storableImageUrl(refused)).toBeNull();
    }
  });

  it('normalises what pages write to a short BCP 47 tag', () => {
    expect(normaliseLanguageTag('EN')).toBe('en');
    expect(normaliseLanguageTag(' en_us ')).toBe('en-US');
    expect(normaliseLanguageTag('pt-br')).toBe('pt-BR');
    expect(normaliseLanguageTag('zh-hant-tw')).toBe('zh-Hant-TW');
    expect(normaliseLanguageTag('de, en')).toBe('de');
    expect(normaliseLanguageTag('es-419')).toBe('es-419');
    for (const refused of ['', 'english', 'x', '<script>', 'en-', `en-${'abcdefgh-'.repeat(5)}x1`, null]) {
      expect(normaliseLanguageTag(refused)).toBeNull();
    }
  });
});

describe('web_article stores the lead image and the language with its item', () => {
  let site: FixtureServer;
  let db: Database;
  let target: { sourceId: string; streamId: string };

  beforeAll(async () => {
    site = await FixtureServer.start();
    const { html } = realPage('np-cnn_001');
    site.route('/2023/11/06/politics/alito', { body: html, headers: { 'content-type': 'text/html; charset=utf-8' } });
  });
  afterAll(async () => {
    await site?.close();
  });
  beforeEach(async () => {
    db = await openDatabase('sqlite::memory:');
    const source = await insertSource(db, { name: 'CNN' });
    const stream = await insertStream(db, {
      name: 'alito',
      taskType: 'web_article',
      config: { base_url: site.url('/2023/11/06/politics/alito') },
      sourceId: source.id,
    });
    target = { sourceId: source.id, streamId: stream.id };
  });
  afterEach(async () => {
    await db.destroy();
  });

  it('saves what the page names, as the worker runs the activity', async () => {
    const activities = createTaskActivities({
      logger: createLogger('silent'),
      http: { userAgent: 'test', timeoutMs: 30_000, maxBodyBytes: 10 << 20, allowedPrivateHosts: ['127.0.0.1'] },
    });
    const activity = saveAsCollected(activities.web_article, (input) => saveItems(db, input));
    const environment = new MockActivityEnvironment(undefined, { logger: new DefaultLogger('WARN') });
    const output: CollectionOutput = await environment.run(
      activity,
      { base_url: site.url('/2023/11/06/politics/alito'), respect_robots_txt: false },
      { ...target, dryRun: false, runId: 'run-1' },
    );

    expect(output.saved).toMatchObject({ collected: 1, new: 1 });
    const {
      items: [item],
    } = await listItems(db, { runId: 'run-1', limit: 10 });
    expect(item).toMatchObject({
      imageUrl:
        'https://media.cnn.com/api/v1/images/stellar/prod/231103170300-samuel-alito-elizabeth-prelogar-split.jpg?c=16x9&q=w_800,c_fill',
      language: 'en',
    });
  });

  it('falls back to the response’s Content-Language when the page names no language', async () => {
    const story = Array.from(
      { length: 6 },
      (_, n) =>
        `<p>Paragraph ${n + 1} tells what the council decided about the harbour, why the vote was close, and what the ferry operator said.</p>`,
    ).join('');
    const page = (lang: string) =>
      `<!DOCTYPE html><html${lang}><head><title>Harbour vote</title></head><body><article>${story}</article></body></html>`;
    const html = { 'content-type': 'text/html; charset=utf-8' };
    site.route('/unsaid', { body: page(''), headers: { ...html, 'content-language': 'nb-no' } });
    site.route('/said', { body: page(' lang="en"'), headers: { ...html, 'content-language': 'de' } });
    site.route('/audience', { body: page(''), headers: { ...html, 'content-language': 'de, en' } });
    const activities = createTaskActivities({
      logger: createLogger('silent'),
      http: { userAgent: 'test', timeoutMs: 30_000, maxBodyBytes: 10 << 20, allowedPrivateHosts: ['127.0.0.1'] },
    });
    const activity = saveAsCollected(activities.web_article, (input) => saveItems(db, input));
    const environment = new MockActivityEnvironment(undefined, { logger: new DefaultLogger('WARN') });
    const languageOf = async (path: string) => {
      const runId = `run${path.replace('/', '-')}`;
      await environment.run(
        activity,
        { base_url: site.url(path), respect_robots_txt: false },
        { ...target, dryRun: false, runId },
      );
      const {
        items: [item],
      } = await listItems(db, { runId, limit: 10 });
      return item?.language;
    };

    expect(await languageOf('/unsaid')).toBe('nb-NO');
    // The page's own word wins over the server's.
    expect(await languageOf('/said')).toBe('en');
    // Several languages name an audience, not this text.
    expect(await languageOf('/audience')).toBeNull();
  });

  it('refuses what no reader could use, whoever built the item', async () => {
    const base = { title: 't', summary: null, author: null, publishedAt: null };
    await saveItems(db, {
      ...target,
      runId: 'run-2',
      items: [
        {
          ...base,
          url: 'https://a.test/1',
          canonicalUrl: 'https://a.test/1',
          imageUrl: 'javascript:alert(1)',
          language: 'english',
        },
        {
          ...base,
          url: 'https://a.test/2',
          canonicalUrl: 'https://a.test/2',
          imageUrl: 'https://a.test/2.jpg',
          language: 'fr_ca',
        },
        { ...base, url: 'https://a.test/3', canonicalUrl: 'https://a.test/3' },
      ],
    });
    const { items } = await listItems(db, { runId: 'run-2', limit: 10 });
    expect(items.map(({ url, imageUrl, language }) => ({ url, imageUrl, language }))).toEqual([
      { url: 'https://a.test/3', imageUrl: null, language: null },
      { url: 'https://a.test/2', imageUrl: 'https://a.test/2.jpg', language: 'fr-CA' },
      { url: 'https://a.test/1', imageUrl: null, language: null },
    ]);
  });

  it('parse_now adds them to an item the listing saved without them, keeping what it had', async () => {
    const base = { title: 't', summary: null, author: null, publishedAt: null };
    await saveItems(db, {
      ...target,
      runId: 'run-3',
      items: [
        { ...base, url: 'https://a.test/4', canonicalUrl: 'https://a.test/4' },
        { ...base, url: 'https://a.test/5', canonicalUrl: 'https://a.test/5', language: 'de' },
      ],
    });
    const {
      items: [five, four],
    } = await listItems(db, { runId: 'run-3', limit: 10 });
    const article = {
      text: 'x',
      title: null,
      author: null,
      publishedAt: null,
      imageUrl: 'https://a.test/i.png',
      language: 'en',
    };
    await storeArticleText(db, four!.id, article);
    await storeArticleText(db, five!.id, article);
    const { items: after } = await listItems(db, { runId: 'run-3', limit: 10 });
    expect(after.map(({ imageUrl, language }) => ({ imageUrl, language }))).toEqual([
      { imageUrl: 'https://a.test/i.png', language: 'de' },
      { imageUrl: 'https://a.test/i.png', language: 'en' },
    ]);
  });
});

describe('hostile picture and language metadata', () => {
  it('keeps no image and no language from a page whose every candidate is bad, and says why for each', () => {
    const html = readFileSync(
      new URL('../fixtures/hostile/records/article-hostile-picture-language.html', import.meta.url),
      'utf8',
    );
    const page = extractArticle(html, 'https://hostile.example.test/news/dredging', undefined, undefined);
    expect(page.title).toBe('Harbour dredging budget approved');
    // og:image is javascript:, JSON-LD's is data:, and the article's first large picture is javascript:
    // (the picture fallback takes the first large one only; it is refused, not passed over).
    expect(page.image).toBeNull();
    // <html lang> is 18,000 characters, inLanguage 5,000, og:locale markup: none is a language tag.
    expect(page.language).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { extractArticleOffThread } from '../../activities/articles/extract-article-off-thread.js';
import { extractArticle, MAX_ARTICLE_DEPTH } from '../../activities/articles/extract-article.js';
import { measureHtml } from '../../activities/articles/html-shape.js';
import { MAX_HTML_CHARS, PageTooComplexError, parseHtmlDocument } from '../../activities/articles/light-dom.js';
import { parseGoogleWeb } from '../../activities/search/google-web.js';
import { parseChannelPreview } from '../../activities/telegram/parse-channel-preview.js';
import { MAX_TITLE_LENGTH } from '../../activities/text/limits.js';
import { deeplyNestedHtml, manyElementsHtml } from '../fixtures/hostile/cpu/generate.js';
import { readFixtureText } from '../helpers/fixtures.js';

describe('measureHtml', () => {
  it('agrees with the tree linkedom builds on real pages', () => {
    expect(measureHtml(readFixtureText('pages/articles/ferry-timetable-readability.html'))).toEqual({
      depth: 7,
      elements: 43,
    });
    expect(measureHtml(readFixtureText('telegram/harbour-news.html'))).toEqual({ depth: 13, elements: 526 });
  });

  it('counts what the parser would close itself as closed: unclosed <li>, <p>, void elements, svg paths', () => {
    expect(measureHtml('<ul><li>a<li>b<li>c</ul>').depth).toBe(2);
    expect(measureHtml('<div><p>a<p>b<div>c</div></div>').depth).toBe(2);
    expect(measureHtml('<p>a<br><img src=x><input></p>').depth).toBe(1);
    expect(measureHtml('<svg><path d="M0"/><path d="M1"/></svg>').depth).toBe(1);
    expect(measureHtml('<script>"<div><div><div>"</script><style>a<b{}</style>').depth).toBe(1);
  });

  it('stops early on a page beyond the limit, in one pass however deep it goes', () => {
    const started = performance.now();
    expect(measureHtml('<div>'.repeat(2_000_000), { depth: 1000, elements: Infinity }).depth).toBe(1001);
    expect(performance.now() - started).toBeLessThan(5000);
  });
});

describe('limits before parsing', () => {
  it('refuses a page deeper than linkedom may build, before building it', () => {
    const started = performance.now();
    // 160,000 nested <div>s took linkedom about a minute.
    expect(() => parseHtmlDocument('<div>'.repeat(160_000))).toThrow(
      new PageTooComplexError('page too complex to read: depth > 1000'),
    );
    expect(() => parseHtmlDocument(' '.repeat(MAX_HTML_CHARS + 1))).toThrow(/page too large to read/);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('reads a hostile Telegram page as "not a channel preview"', () => {
    expect(() => parseChannelPreview('<div>'.repeat(5000))).toThrow(/not a public channel preview|page too complex/);
  });

  it('fails a hostile search results page without retrying', () => {
    expect(() => parseGoogleWeb('<div>'.repeat(5000), 'https://www.google.com/search?q=x')).toThrow(
      expect.objectContaining({
        nonRetryable: true,
        type: 'MalformedBodyError',
        message: expect.stringMatching(/page too complex to read/),
      }),
    );
  });

  it('refuses the 5,000-deep page at once instead of running Readability on it for minutes', () => {
    const started = performance.now();
    expect(() => extractArticle(deeplyNestedHtml(5000), 'https://hostile.example.test/', undefined, undefined)).toThrow(
      `page too complex to read: depth > ${MAX_ARTICLE_DEPTH}`,
    );
    expect(performance.now() - started).toBeLessThan(5000);
    expect(() =>
      extractArticle(manyElementsHtml(40_000), 'https://hostile.example.test/', undefined, undefined),
    ).toThrow(/more than 30000 elements/);
  });

  it('caps a title at its maximum length', () => {
    const longTitle = `${'word '.repeat(1000)}`;
    const page = extractArticle(
      `<html><head><meta property="og:title" content="${longTitle}"></head><body><h1>x</h1><article><p>${'Text of the article. '.repeat(40)}</p></article></body></html>`,
      'https://a.test/',
      undefined,
      undefined,
    );
    expect(page.title!.length).toBeLessThanOrEqual(MAX_TITLE_LENGTH);
    expect(page.title).toMatch(/word…$/);
  });
});

// A thread starts in about a second, several on a loaded machine; the bounds are generous for that.
describe('extraction in a worker thread', { timeout: 60_000 }, () => {
  it('reads the article as extractArticle does, with the same typed failures', async () => {
    const html = readFixtureText('pages/articles/ferry-timetable-readability.html');
    const url = 'https://courier.example.test/n/123';
    expect(await extractArticleOffThread(html, url, undefined, undefined)).toEqual(
      extractArticle(html, url, undefined, undefined),
    );
    await expect(extractArticleOffThread(deeplyNestedHtml(5000), url, undefined, undefined)).rejects.toBeInstanceOf(
      PageTooComplexError,
    );
    await expect(
      extractArticleOffThread(readFixtureText('pages/articles/empty-shell.html'), url, undefined, undefined),
    ).rejects.toThrow(/readability found no article/);
  });

  it('keeps the event loop turning while Readability works on a heavy page', async () => {
    // Just inside the limits: seconds of Readability, all of it off this thread.
    const heavy = deeplyNestedHtml(MAX_ARTICLE_DEPTH - 10);
    let ticks = 0;
    let longestGap = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      longestGap = Math.max(longestGap, now - last);
      last = now;
      ticks += 1;
    }, 50);
    try {
      const started = performance.now();
      const page = await extractArticleOffThread(heavy, 'https://hostile.example.test/', undefined, undefined);
      const elapsed = performance.now() - started;
      expect(page.text).toContain('A sentence of text');
      expect(ticks).toBeGreaterThanOrEqual(Math.floor(elapsed / 50 / 4));
      expect(longestGap).toBeLessThan(1000);
    } finally {
      clearInterval(timer);
    }
  });

  it('gives up on cancellation', async () => {
    const controller = new AbortController();
    const reading = extractArticleOffThread(
      deeplyNestedHtml(MAX_ARTICLE_DEPTH - 10),
      'https://hostile.example.test/',
      undefined,
      undefined,
      controller.signal,
    );
    controller.abort(new Error('cancelled by the test'));
    await expect(reading).rejects.toThrow('cancelled by the test');
  });
});

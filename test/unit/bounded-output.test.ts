import { describe, expect, it } from 'vitest';
import {
  boundedItemPreview,
  boundedPublicationPreview,
  boundedWarnings,
  jsonBytes,
  MAX_WARNING_CHARS,
  MAX_WARNINGS,
} from '../../activities/tasks/bounded-output.js';
import {
  DRY_RUN_PREVIEW_LIMIT,
  DRY_RUN_PREVIEW_MAX_BYTES,
  PREVIEW_TEXT_MAX_CHARS,
  type CollectedItem,
} from '../../schemas/stream-run.js';

// Three bytes a character in UTF-8, so a bound counted in characters would let three times too much through.
const cjk = (length: number) => '港口新闻渡轮与天气'.repeat(Math.ceil(length / 9)).slice(0, length);
const item = (n: number, extra: Partial<CollectedItem> = {}): CollectedItem => ({
  url: `https://site.test/${n}`,
  canonicalUrl: `https://site.test/${n}`,
  title: cjk(3000),
  summary: cjk(5000),
  text: cjk(5000),
  mediaUrls: Array.from({ length: 40 }, (_, m) => `https://site.test/${n}/${m}.jpg`),
  author: 'Ирина',
  publishedAt: null,
  ...extra,
});

describe('a dry run preview', () => {
  it('keeps at most DRY_RUN_PREVIEW_LIMIT items, DRY_RUN_PREVIEW_MAX_BYTES in all, texts cut with an ellipsis', () => {
    const items = Array.from({ length: 300 }, (_, n) => item(n));
    const preview = boundedItemPreview(items);

    expect(jsonBytes(items)).toBeGreaterThan(10 * DRY_RUN_PREVIEW_MAX_BYTES);
    expect(preview.length).toBeGreaterThan(0);
    expect(preview.length).toBeLessThanOrEqual(DRY_RUN_PREVIEW_LIMIT);
    expect(jsonBytes(preview)).toBeLessThanOrEqual(DRY_RUN_PREVIEW_MAX_BYTES);
    expect(preview.map((entry) => entry.url)).toEqual(items.slice(0, preview.length).map((entry) => entry.url));
    for (const entry of preview) {
      expect(entry.summary).toHaveLength(PREVIEW_TEXT_MAX_CHARS);
      expect(entry.summary?.endsWith('…')).toBe(true);
      expect(entry.text).toHaveLength(PREVIEW_TEXT_MAX_CHARS);
      expect(entry.mediaUrls).toHaveLength(10);
    }
  });

  it('passes short items through whole, up to the item limit', () => {
    const short = Array.from({ length: 150 }, (_, n) =>
      item(n, { title: `Story ${n}`, summary: 'Short.', text: undefined, mediaUrls: undefined }),
    );
    const preview = boundedItemPreview(short);
    expect(preview).toEqual(
      short.slice(0, DRY_RUN_PREVIEW_LIMIT).map(({ text: _text, mediaUrls: _media, ...rest }) => rest),
    );
  });

  it('never cuts a character outside the Basic Multilingual Plane in two', () => {
    const emoji = '📰'.repeat(PREVIEW_TEXT_MAX_CHARS); // two UTF-16 code units each
    const [entry] = boundedItemPreview([item(1, { summary: emoji })]);
    expect(entry?.summary).toMatch(/^(📰)+…$/u);
  });
});

describe('bounded results', () => {
  it('keeps at most MAX_WARNINGS warnings of MAX_WARNING_CHARS, and says how many more there were', () => {
    const warnings = boundedWarnings(Array.from({ length: 300 }, (_, n) => `@channel_${n}: ${'x'.repeat(5000)}`));
    expect(warnings).toHaveLength(MAX_WARNINGS);
    expect(warnings?.every((warning) => warning.length <= MAX_WARNING_CHARS)).toBe(true);
    expect(warnings?.at(-1)).toBe(`… and ${300 - MAX_WARNINGS + 1} more warnings`);
    expect(boundedWarnings(['one'])).toEqual(['one']);
    expect(boundedWarnings(undefined)).toBeUndefined();
  });

  it('bounds a publishing dry run of long docs in bytes', () => {
    const preview = boundedPublicationPreview(
      Array.from({ length: 100 }, (_, n) => ({ docId: n, url: null, text: cjk(100_000) })),
    );
    expect(preview.length).toBeGreaterThan(0);
    expect(jsonBytes(preview)).toBeLessThanOrEqual(DRY_RUN_PREVIEW_MAX_BYTES);
  });
});

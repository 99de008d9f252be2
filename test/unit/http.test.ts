import { describe, expect, it } from 'vitest';
import { classifyStatus } from '../../activities/http/classify-status.js';
import { decodeBody } from '../../activities/http/decode-body.js';
import { MAX_RETRY_AFTER_MS, parseRetryAfter } from '../../activities/http/retry-after.js';
import { readFixture } from '../helpers/fixtures.js';

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-24T12:00:00Z');

  it('reads delta-seconds as milliseconds', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter(' 30 ', now)).toBe(30_000);
  });

  it('reads an HTTP date as the time left until it, measured from the given now', () => {
    expect(parseRetryAfter('Tue, 24 Nov 2026 12:01:30 GMT', now)).toBe(90_000);
    expect(parseRetryAfter('Tue, 24 Nov 2026 12:01:30 GMT', now + 30_000)).toBe(60_000);
  });

  it('treats an HTTP date already past as no wait at all', () => {
    expect(parseRetryAfter('Tue, 24 Nov 2026 11:00:00 GMT', now)).toBe(0);
  });

  it('accepts exactly the longest wait it honours', () => {
    expect(MAX_RETRY_AFTER_MS).toBe(600_000);
    expect(parseRetryAfter('600', now)).toBe(MAX_RETRY_AFTER_MS);
  });

  it('returns undefined for a wait longer than it honours, as seconds or as a date', () => {
    expect(parseRetryAfter('601', now)).toBeUndefined();
    expect(parseRetryAfter('86400', now)).toBeUndefined();
    expect(parseRetryAfter('Tue, 24 Nov 2026 12:10:01 GMT', now)).toBeUndefined();
  });

  it('returns undefined for an absent, empty or unreadable header', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('5 seconds', now)).toBeUndefined();
  });
});

describe('classifyStatus', () => {
  it.each([
    [200, 'ok'],
    [204, 'ok'],
    [304, 'not-modified'],
    [404, 'permanent'],
    [410, 'permanent'],
    [401, 'permanent'],
    [403, 'permanent'],
    [408, 'transient'],
    [429, 'transient'],
    [500, 'transient'],
    [503, 'transient'],
    [599, 'transient'],
  ] as const)('classifies %i as %s', (status, expected) => {
    expect(classifyStatus(status)).toBe(expected);
  });
});

describe('decodeBody', () => {
  const utf8 = (text: string) => new TextEncoder().encode(text);
  const cyrillicXml = (declared: string) =>
    utf8(`<?xml version="1.0" encoding="${declared}"?><title>Привет, мир</title>`);

  it('decodes with the charset named in the XML declaration when the content type names none', () => {
    expect(decodeBody(readFixture('feeds/rss-windows-1251.xml'), 'application/rss+xml')).toContain('Привет, мир');
    expect(decodeBody(readFixture('feeds/rss-windows-1251.xml'), null)).toContain('Привет, мир');
  });

  it('lets the content-type charset win over a conflicting XML declaration', () => {
    // UTF-8 bytes whose declaration wrongly claims windows-1251: the server's header is right.
    expect(decodeBody(cyrillicXml('windows-1251'), 'text/xml; charset=utf-8')).toContain('Привет, мир');
    // windows-1251 bytes served as UTF-8: the header still wins, so the text is not Cyrillic.
    const asUtf8 = decodeBody(readFixture('feeds/rss-windows-1251.xml'), 'application/xml; charset=UTF-8');
    expect(asUtf8).not.toContain('Привет');
    expect(asUtf8).toContain('\uFFFD');
  });

  it('reads a quoted, upper-case charset parameter', () => {
    expect(decodeBody(readFixture('feeds/rss-windows-1251.xml'), 'text/xml; Charset="WINDOWS-1251"')).toContain(
      'Привет, мир',
    );
  });

  it('falls back to UTF-8 for a charset label TextDecoder does not know', () => {
    expect(decodeBody(cyrillicXml('utf-8'), 'text/xml; charset=x-no-such-charset')).toContain('Привет, мир');
    expect(decodeBody(cyrillicXml('x-no-such-charset'), null)).toContain('Привет, мир');
  });

  // Pages that declare their charset only inside themselves came out as U+FFFD before. The fixture's
  // first <title> is "Новости" in windows-1251 bytes.
  const cp1251 = (html: string) => {
    const head = new TextEncoder().encode(html.split('{text}')[0]);
    const text = readFixture('feeds/rss-windows-1251.xml');
    const title = text.subarray(text.indexOf('<title>') + 7, text.indexOf('</title>'));
    return Buffer.concat([head, title, new TextEncoder().encode(html.split('{text}')[1])]);
  };

  it.each([
    ['<meta charset>', '<!doctype html><html><head><meta charset="windows-1251"><title>{text}</title>'],
    [
      '<meta http-equiv>',
      '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251"><title>{text}</title>',
    ],
    ['<meta charset> after a long head', `<html><head>${'<!-- x -->'.repeat(200)}<meta charset=cp1251><p>{text}</p>`],
  ])('takes the charset from %s when the headers are silent', (_where, html) => {
    expect(decodeBody(cp1251(html), 'text/html')).toContain('Новости');
    expect(decodeBody(cp1251(html), null)).toContain('Новости');
  });

  it('lets a byte order mark win over the header and the document', () => {
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), cyrillicXml('windows-1251')]);
    expect(decodeBody(withBom, 'text/xml; charset=windows-1251')).toContain('Привет, мир');
  });

  it('lets the header win over <meta charset>', () => {
    const page = new TextEncoder().encode('<meta charset="windows-1251"><p>Привет, мир</p>');
    expect(decodeBody(page, 'text/html; charset=utf-8')).toContain('Привет, мир');
  });

  it('decodes as UTF-8 when nothing names a charset', () => {
    expect(decodeBody(utf8('<rss><title>Ünïcödé ✓</title></rss>'), 'application/rss+xml')).toBe(
      '<rss><title>Ünïcödé ✓</title></rss>',
    );
  });
});

describe('parseRetryAfter refuses what only looks like a date', () => {
  it.each(['1.5', '-5', 'in 3', 'Item 5', '2026-01-01'])('"%s" is not a Retry-After', (header) => {
    expect(parseRetryAfter(header, Date.parse('2026-01-01T00:00:00Z'))).toBeUndefined();
  });
});

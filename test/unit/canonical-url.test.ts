import { describe, expect, it } from 'vitest';
import { canonicalizeUrl, SkippedUrls, toItemUrl } from '../../activities/canonical-url.js';
import { MAX_URL_LENGTH } from '../../schemas/text-limits.js';

describe('canonicalizeUrl', () => {
  it('lower-cases the scheme and host but keeps the path as written', () => {
    expect(canonicalizeUrl('HTTPS://News.Example.TEST/Politics/Story-1')).toBe(
      'https://news.example.test/Politics/Story-1',
    );
  });

  it('drops default ports and keeps others', () => {
    expect(canonicalizeUrl('https://news.example.test:443/a')).toBe('https://news.example.test/a');
    expect(canonicalizeUrl('http://news.example.test:80/a')).toBe('http://news.example.test/a');
    expect(canonicalizeUrl('http://news.example.test:8080/a')).toBe('http://news.example.test:8080/a');
  });

  it('keeps http and https apart', () => {
    expect(canonicalizeUrl('http://news.example.test/a')).not.toBe(canonicalizeUrl('https://news.example.test/a'));
  });

  it('removes the fragment', () => {
    expect(canonicalizeUrl('https://news.example.test/a#comments')).toBe('https://news.example.test/a');
    expect(canonicalizeUrl('https://news.example.test/a?page=2#top')).toBe('https://news.example.test/a?page=2');
  });

  it.each([
    'utm_source',
    'utm_medium',
    'utm_campaign',
    'utm_term',
    'utm_content',
    'fbclid',
    'gclid',
    'yclid',
    'mc_cid',
    'mc_eid',
    '_ga',
    'igshid',
  ])('removes the tracking parameter %s', (name) => {
    expect(canonicalizeUrl(`https://news.example.test/a?${name}=x`)).toBe('https://news.example.test/a');
  });

  it('removes tracking parameters whatever their case, keeping the other parameters in order', () => {
    expect(canonicalizeUrl('https://news.example.test/a?id=7&UTM_Source=rss&page=2&FBCLID=z')).toBe(
      'https://news.example.test/a?id=7&page=2',
    );
  });

  it('keeps parameters that only resemble tracking ones', () => {
    const url = 'https://news.example.test/a?utm=1&my_utm_source=2&gclid2=3';
    expect(canonicalizeUrl(url)).toBe(url);
  });

  it('keeps a query without tracking parameters exactly as written', () => {
    const url = 'https://news.example.test/search?b=2&a=1&a=0';
    expect(canonicalizeUrl(url)).toBe(url);
  });

  it('leaves no dangling question mark once every parameter is removed', () => {
    expect(canonicalizeUrl('https://news.example.test/?utm_source=a&utm_medium=b')).toBe('https://news.example.test/');
    expect(canonicalizeUrl('https://news.example.test/a?')).toBe('https://news.example.test/a');
  });

  it('gives the same form to URLs that differ only in tracking, fragment, host case and default port', () => {
    const forms = [
      'https://news.example.test/2026/11/story',
      'https://NEWS.example.test:443/2026/11/story#comments',
      'https://news.example.test/2026/11/story?utm_source=rss&utm_medium=feed',
      '  https://news.example.test/2026/11/story?gclid=abc  ',
    ].map((url) => canonicalizeUrl(url));
    expect(new Set(forms)).toEqual(new Set(['https://news.example.test/2026/11/story']));
  });

  it('resolves a relative URL against a base', () => {
    expect(canonicalizeUrl('../b?utm_campaign=x', 'https://news.example.test/x/y/z')).toBe(
      'https://news.example.test/x/b',
    );
    expect(canonicalizeUrl('/c', 'https://news.example.test/x/y')).toBe('https://news.example.test/c');
  });

  it('returns null for a relative URL without a base', () => {
    expect(canonicalizeUrl('/2026/11/story')).toBeNull();
  });

  it('returns null for anything that is not an http(s) URL', () => {
    expect(canonicalizeUrl('ftp://files.example.test/a')).toBeNull();
    expect(canonicalizeUrl('mailto:desk@news.example.test')).toBeNull();
    expect(canonicalizeUrl('javascript:alert(1)')).toBeNull();
    expect(canonicalizeUrl('not a url')).toBeNull();
    expect(canonicalizeUrl('')).toBeNull();
  });
});

describe('canonicalizeUrl keeps the rest of the query exactly as written', () => {
  it('gives the same result with and without a tracking parameter', () => {
    for (const query of ['ids=1,2', 'q=a%20b', 'q=a+b', 'flag', 'a=1&b=2']) {
      expect(canonicalizeUrl(`https://a.test/v?${query}&utm_source=x`)).toBe(
        canonicalizeUrl(`https://a.test/v?${query}`),
      );
      expect(canonicalizeUrl(`https://a.test/v?utm_medium=y&${query}`)).toBe(`https://a.test/v?${query}`);
    }
  });

  it('keeps a question mark that belongs to the query', () => {
    expect(canonicalizeUrl('https://a.test/search?q=what?')).toBe('https://a.test/search?q=what?');
    expect(canonicalizeUrl('https://a.test/search?q=what?')).not.toBe(canonicalizeUrl('https://a.test/search?q=what'));
  });
});

describe('an item URL is an http(s) address of at most 8 KB', () => {
  const longPath = (length: number) => `https://a.test/${'p'.repeat(length - 'https://a.test/'.length)}`;

  it('refuses javascript:, data: and broken addresses as not http(s), and says so', () => {
    for (const raw of [
      'javascript:alert(document.cookie)',
      'data:text/html,<b>x</b>',
      'http://',
      'https://exa mple.test/',
    ]) {
      expect(toItemUrl(raw)).toEqual({ ok: false, reason: 'not-http' });
      expect(canonicalizeUrl(raw)).toBeNull();
    }
  });

  it('keeps an address of exactly MAX_URL_LENGTH and refuses one character more as too long', () => {
    expect(MAX_URL_LENGTH).toBe(8192);
    expect(toItemUrl(longPath(MAX_URL_LENGTH))).toMatchObject({ ok: true, url: longPath(MAX_URL_LENGTH) });
    expect(toItemUrl(longPath(MAX_URL_LENGTH + 1))).toEqual({ ok: false, reason: 'too-long' });
    expect(canonicalizeUrl(longPath(MAX_URL_LENGTH + 1))).toBeNull();
  });

  it('measures the resolved address, so a short link on a long base is refused too', () => {
    expect(toItemUrl('x', `${longPath(MAX_URL_LENGTH)}/`)).toEqual({ ok: false, reason: 'too-long' });
  });

  it('gives the address as written (fragment kept) next to its canonical form', () => {
    expect(toItemUrl('/a?utm_source=x#top', 'https://News.test/feed')).toEqual({
      ok: true,
      url: 'https://news.test/a?utm_source=x#top',
      canonicalUrl: 'https://news.test/a',
    });
  });
});

describe('SkippedUrls', () => {
  it('says nothing when nothing was skipped', () => {
    expect(new SkippedUrls().warnings()).toEqual([]);
  });

  it('gives one warning per reason with the count and the first address, quoted short and clean', () => {
    const skipped = new SkippedUrls();
    skipped.note('javascript:alert(1)', 'not-http');
    skipped.note('mailto:desk@a.test', 'not-http');
    skipped.note(`https://a.test/${'x'.repeat(9000)}`, 'too-long');
    skipped.note('data:\u0000x', 'not-http');
    expect(skipped.count).toBe(4);
    const [notHttp, tooLong] = skipped.warnings('entries');
    expect(notHttp).toBe('skipped 3 entries whose URL is not an http(s) address: first «javascript:alert(1)»');
    expect(tooLong).toMatch(/^skipped 1 entry whose URL is longer than 8 KB: first «https:\/\/a\.test\/x+…»$/);
    expect(tooLong!.length).toBeLessThan(200);
  });
});

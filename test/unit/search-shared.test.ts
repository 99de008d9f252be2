import { describe, expect, it } from 'vitest';
import type { CollectedItem } from '../../schemas/stream-run.js';
import { searchEachKeyword, type KeywordProgress } from '../../activities/search/each-keyword.js';
import { searchEndpoint } from '../../activities/search/search-endpoint.js';
import { searchItem, withoutHighlights } from '../../activities/search/search-item.js';
import type { SearchPage } from '../../activities/search/search-page.js';
import { unwrapRedirect } from '../../activities/search/unwrap-redirect.js';

const item = (url: string): CollectedItem => searchItem({ url, title: url, summary: null })!;

describe('unwrapping result links', () => {
  const google = { path: /^\/url$/, params: ['q', 'url'] };

  it("takes the target out of a relative redirect, decoded, dropping the engine's own parameters", () => {
    expect(
      unwrapRedirect(
        '/url?q=https://a.example.test/x%3Fid%3D7&sa=U&ved=2ah',
        'https://www.google.com/search?q=x',
        google,
      ),
    ).toBe('https://a.example.test/x?id=7');
  });

  it('tries the parameters in order and resolves protocol-relative redirects', () => {
    expect(unwrapRedirect('/url?q=&url=https%3A%2F%2Fb.example.test%2F', 'https://www.google.com/', google)).toBe(
      'https://b.example.test/',
    );
    expect(
      unwrapRedirect(
        '//duckduckgo.com/l/?uddg=https%3A%2F%2Fc.example.test%2Fp&rut=1',
        'https://html.duckduckgo.com/html/',
        { path: /^\/l\/?$/, params: ['uddg'] },
      ),
    ).toBe('https://c.example.test/p');
  });

  it('keeps a link that is not a redirect, resolved against the page', () => {
    expect(unwrapRedirect('https://d.example.test/a', 'https://www.google.com/', google)).toBe(
      'https://d.example.test/a',
    );
    expect(unwrapRedirect('/search?q=more', 'https://www.google.com/search?q=x', google)).toBe(
      'https://www.google.com/search?q=more',
    );
  });

  it('keeps the redirect when its target is missing or not http(s), and refuses what is not a link', () => {
    expect(unwrapRedirect('/url?q=javascript:alert(1)', 'https://www.google.com/', google)).toBe(
      'https://www.google.com/url?q=javascript:alert(1)',
    );
    expect(unwrapRedirect('mailto:desk@example.test', 'https://www.google.com/', google)).toBeNull();
    expect(unwrapRedirect('http://[broken', 'https://www.google.com/', google)).toBeNull();
  });
});

describe('endpoint addresses', () => {
  it("joins the path to the base's own path and encodes the query", () => {
    expect(searchEndpoint('https://news.google.com', 'rss/search', { q: 'harbour when:7d', hl: 'en-US' })).toBe(
      'https://news.google.com/rss/search?q=harbour+when%3A7d&hl=en-US',
    );
    expect(searchEndpoint('http://127.0.0.1:9/mirror', 'search', { q: 'a', count: 5, unset: undefined })).toBe(
      'http://127.0.0.1:9/mirror/search?q=a&count=5',
    );
    expect(searchEndpoint('https://duckduckgo.com', '', { q: 'a b' })).toBe('https://duckduckgo.com/?q=a+b');
  });
});

describe('search items', () => {
  it('need an http(s) address, and carry plain one-line text', () => {
    expect(searchItem({ url: 'ftp://a.example.test/f', title: 't', summary: null })).toBeNull();
    expect(searchItem({ url: null, title: 't', summary: null })).toBeNull();
    expect(
      searchItem({ url: 'https://a.example.test/x?utm_source=s', title: '  two\n  lines ', summary: '', author: 'A' }),
    ).toEqual({
      url: 'https://a.example.test/x?utm_source=s',
      canonicalUrl: 'https://a.example.test/x',
      title: 'two lines',
      summary: null,
      author: 'A',
      publishedAt: null,
    });
  });

  it("lose the engine's highlighting without gaining spaces, but keep line breaks and other tags", () => {
    expect(withoutHighlights('<b>dredging</b>, <strong class="x">harbour</strong><br>body')).toBe(
      'dredging, harbour<br>body',
    );
  });
});

describe('searching keyword by keyword', () => {
  const pages: Record<string, SearchPage> = {
    harbour: {
      items: ['/a', '/b', '/a?utm_source=x', '/c', '/d'].map((path) => item(`https://n.example.test${path}`)),
      offered: 7,
    },
    ferry: { items: ['/c', '/e', '/f'].map((path) => item(`https://n.example.test${path}`)), offered: 3 },
  };

  it('keeps the first N distinct results of each keyword, each URL once for the first keyword, and counts what was offered', async () => {
    const asked: Array<[string, number]> = [];
    const { items, found } = await searchEachKeyword(['harbour', 'ferry'], 3, async (keyword, limit) => {
      asked.push([keyword, limit]);
      return pages[keyword]!;
    });
    expect(asked).toEqual([
      ['harbour', 3],
      ['ferry', 3],
    ]);
    // harbour keeps a, b, c (its repeat of a does not use a place); ferry keeps c, e, f, but c is harbour's.
    expect(items.map((found) => found.url.slice('https://n.example.test'.length))).toEqual([
      '/a',
      '/b',
      '/c',
      '/e',
      '/f',
    ]);
    expect(found).toBe(10);
  });

  it('searches one keyword at a time, reporting progress as it goes', async () => {
    const progress: KeywordProgress = { keyword: null, done: 0, total: 2 };
    const seen: string[] = [];
    let running = 0;
    await searchEachKeyword(
      ['harbour', 'ferry'],
      5,
      async (keyword) => {
        running += 1;
        expect(running).toBe(1);
        seen.push(`${progress.keyword}:${progress.done}/${progress.total}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        running -= 1;
        return pages[keyword]!;
      },
      progress,
    );
    expect(seen).toEqual(['harbour:0/2', 'ferry:1/2']);
    expect(progress).toEqual({ keyword: 'ferry', done: 2, total: 2 });
  });

  it('stops at the first keyword whose search fails', async () => {
    const asked: string[] = [];
    await expect(
      searchEachKeyword(['harbour', 'ferry'], 5, async (keyword) => {
        asked.push(keyword);
        throw new Error('HTTP 503');
      }),
    ).rejects.toThrow('HTTP 503');
    expect(asked).toEqual(['harbour']);
  });
});

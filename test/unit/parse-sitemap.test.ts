import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { gunzipCapped, isGzip } from '../../activities/http/gunzip.js';
import { NotASitemapError, parseSitemapDocument } from '../../activities/sitemaps/parse-sitemap.js';
import { sitemapConfigSchema } from '../../schemas/tasks/sitemap.js';
import { readFixture, readFixtureText } from '../helpers/fixtures.js';

describe('sitemap parsing', () => {
  it('reads a news sitemap with news:title and news:publication_date, entities decoded', () => {
    const parsed = parseSitemapDocument(readFixtureText('sitemaps/news-sitemap.xml'));
    expect(parsed.kind).toBe('urlset');
    if (parsed.kind !== 'urlset') return;
    expect(parsed.entries).toHaveLength(4);
    expect(parsed.entries[0]).toEqual({
      loc: 'https://news.example.test/2026/11/24/port-strike-ends',
      lastmod: '2026-11-24T08:10:00+00:00',
      newsTitle: 'Port strike ends after three days',
      newsPublishedAt: '2026-11-24T07:55:00+00:00',
    });
    expect(parsed.entries[1]?.newsTitle).toBe('New tide tables & what they mean');
    expect(parsed.entries[2]).toMatchObject({ newsTitle: null, lastmod: '2026-11-22T18:00:00Z' });
  });

  it('reads a sitemap index', () => {
    const parsed = parseSitemapDocument(readFixtureText('sitemaps/sitemap-index.xml'));
    expect(parsed).toMatchObject({ kind: 'index', sitemaps: [{ lastmod: '2026-10-31T23:00:00Z' }, {}, {}] });
  });

  it('reads an empty urlset as no entries', () => {
    expect(parseSitemapDocument('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>')).toEqual({
      kind: 'urlset',
      entries: [],
    });
  });

  it('rejects HTML, an RSS feed and broken XML', () => {
    expect(() => parseSitemapDocument(readFixtureText('pages/not-a-feed.html'))).toThrow(NotASitemapError);
    expect(() => parseSitemapDocument(readFixtureText('feeds/rss2-news.xml'))).toThrow(NotASitemapError);
    expect(() => parseSitemapDocument('<urlset><url><loc>x</url>')).toThrow(NotASitemapError);
  });
});

describe('sitemap well-formedness, checked in one linear pass before parsing', () => {
  it('names what is broken: a cut-off document, a mismatched or stray end tag', () => {
    const whole = readFixtureText('sitemaps/news-sitemap.xml');
    expect(() => parseSitemapDocument(whole.slice(0, whole.length - 20))).toThrow(
      /not well-formed XML \(.*cut off|left open/,
    );
    expect(() => parseSitemapDocument('<urlset><url><loc>x</loc></urlset>')).toThrow(/mismatched end tags/);
    expect(() => parseSitemapDocument('<urlset><url><loc>x</loc></url></lastmod></urlset>')).toThrow(/stray end tags/);
  });

  it('refuses nesting deeper than the parser would read', () => {
    expect(() => parseSitemapDocument(`<urlset>${'<x>'.repeat(200)}${'</x>'.repeat(200)}</urlset>`)).toThrow(
      /nested deeper than 100/,
    );
  });

  it('reads comments, CDATA and a > inside an attribute as XML allows', () => {
    const parsed = parseSitemapDocument(
      '<?xml version="1.0"?><!-- generated --><urlset note="a>b"><url><loc><![CDATA[https://x.test/a?b=1&c=2]]></loc></url></urlset>',
    );
    expect(parsed).toEqual({
      kind: 'urlset',
      entries: [{ loc: 'https://x.test/a?b=1&c=2', lastmod: null, newsTitle: null, newsPublishedAt: null }],
    });
  });
});

describe('gzip bodies', () => {
  it('are recognised and inflated', () => {
    const bytes = readFixture('sitemaps/posts-2026-11.xml.gz');
    expect(isGzip(bytes)).toBe(true);
    expect(Buffer.from(gunzipCapped(bytes, 1 << 20, 'x')).toString()).toContain('november-two');
  });

  it('are cut off past the size limit instead of inflating a bomb', () => {
    const bomb = gzipSync(Buffer.alloc(5 * 1024 * 1024));
    expect(bomb.byteLength).toBeLessThan(10_000);
    expect(() => gunzipCapped(bomb, 1024 * 1024, 'https://x.test/bomb.gz')).toThrow(/inflates to more than/);
  });

  it('that are corrupt fail as malformed', () => {
    expect(() => gunzipCapped(Buffer.from([0x1f, 0x8b, 1, 2, 3]), 1024, 'https://x.test/bad.gz')).toThrow(
      /not a valid gzip/,
    );
  });
});

describe('sitemap config', () => {
  it('applies defaults and bounds', () => {
    expect(sitemapConfigSchema.parse({ sitemap_url: 'https://x.test/sitemap.xml' })).toEqual({
      sitemap_url: 'https://x.test/sitemap.xml',
      max_links: 100,
      follow_next: false,
      max_depth: 2,
      respect_robots_txt: true,
      parse_now: false,
      parse_now_max: 20,
    });
    expect(sitemapConfigSchema.safeParse({ sitemap_url: 'https://x.test/s.xml', max_links: 0 }).success).toBe(false);
    expect(sitemapConfigSchema.safeParse({ sitemap_url: 'https://x.test/s.xml', max_depth: 4 }).success).toBe(false);
  });
});

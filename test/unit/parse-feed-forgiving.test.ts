import { describe, expect, it } from 'vitest';
import { entriesToItems } from '../../activities/feeds/entries-to-items.js';
import { NotAFeedError, parseFeedDocument } from '../../activities/feeds/parse-feed.js';
import { decodeBody } from '../../activities/http/decode-body.js';
import { checkXmlBalance, repairXml } from '../../activities/text/xml-tag-balance.js';
import { readFixture, readFixtureText } from '../helpers/fixtures.js';

// Real feeds feedparser reads (test/fixtures/feeds/forgiving/README.md says where each comes from).
const forgiving = (name: string) => decodeBody(readFixture(`feeds/forgiving/${name}`), null);

describe('feeds feedparser reads, read too', () => {
  it('reads Atom 0.3 (http://purl.org/atom/ns#) with its entries, as served', () => {
    expect(parseFeedDocument(forgiving('atom03-namespace.xml'))).toMatchObject({ format: 'atom', repairs: [] });
    const feed = parseFeedDocument(forgiving('atom03-entry-link.xml'));
    expect(feed.repairs).toEqual([]);
    expect(feed.entries.map((entry) => entry.link)).toEqual(['http://www.example.com/']);
  });

  it('reads Atom 0.3 dates (issued, modified) as published and updated', () => {
    const feed = parseFeedDocument(`<feed version="0.3" xmlns="http://purl.org/atom/ns#"><entry><title>T</title>
      <link rel="alternate" href="https://a.example.test/1"/><modified>2004-05-06T07:08:09Z</modified></entry></feed>`);
    expect(feed.entries[0]).toMatchObject({ title: 'T', published: '2004-05-06T07:08:09Z' });
  });

  it('reads RSS 2.0 whose every element carries the root namespace prefix, and says it was mended', () => {
    const feed = parseFeedDocument(forgiving('rss-prefixed-root.xml'));
    expect(feed.format).toBe('rss');
    expect(feed.repairs).toEqual(['a namespace prefix on its root']);
    expect(entriesToItems(feed, 'https://feeds.example.test/rss').map((item) => item.title)).toEqual([
      'The First Item',
      'The Second Item',
    ]);
  });

  it('reads a feed whose last end tag is cut off', () => {
    const feed = parseFeedDocument(forgiving('rss-cut-off-root-end-tag.xml'));
    expect(feed.repairs).toEqual(['cut off before its end']);
    expect(feed.entries.map((entry) => entry.link)).toEqual(['http://link/get?a=1&b=2']);
  });

  it('reads a feed cut off mid-item: every entry up to the cut, the last one as far as it goes', () => {
    const whole = parseFeedDocument(forgiving('rss092-oreilly.xml'));
    const cut = parseFeedDocument(forgiving('rss092-oreilly-cut-off.xml'));
    expect(whole.repairs).toEqual([]);
    expect(cut.repairs).toEqual(['elements left open']);
    expect(cut.entries.map((entry) => entry.link)).toEqual(whole.entries.map((entry) => entry.link));
    expect(cut.entries[1]?.summary).toBe('This is the sec');
  });

  it('reads a feed cut off inside an end tag, dropping the broken tail', () => {
    const whole = readFixtureText('feeds/rss2-news.xml');
    const cut = whole.slice(0, whole.lastIndexOf('</link>') + '</li'.length);
    const feed = parseFeedDocument(cut);
    expect(feed.repairs).toEqual(['cut off before its end']);
    // Every item begun before the cut is read; the one cut inside its link keeps the link's text so far.
    expect(feed.entries).toHaveLength(cut.split('<item>').length - 1);
    expect(feed.entries.at(-1)?.link).toBe('https://news.example.test/2026/11/ferry-timetable');
  });

  it('reads a feed with a stray end tag', () => {
    expect(parseFeedDocument(forgiving('rss-stray-end-tag.xml'))).toMatchObject({ format: 'rss' });
  });

  it('still refuses what is no feed, mended or not', () => {
    expect(() => parseFeedDocument(readFixtureText('pages/not-a-feed.html'))).toThrow(NotAFeedError);
    expect(() => parseFeedDocument('<html><body><p>cut off')).toThrow(NotAFeedError);
    expect(() => parseFeedDocument('<rss version="2.0"><channel>' + '<x>'.repeat(500))).toThrow(NotAFeedError);
  });
});

describe('repairXml', () => {
  const options = { maxDepth: 100 };

  it('closes what a mismatched end tag leaves open, drops stray end tags, escapes a bare <', () => {
    expect(repairXml('<a><b>x</a>', options).xml).toBe('<a><b>x</b></a>');
    expect(repairXml('<a><b></c></b></a>', options).xml).toBe('<a><b></b></a>');
    expect(repairXml('<a>1 < 2</a>', options).xml).toBe('<a>1 &lt; 2</a>');
  });

  it('leaves comments, CDATA, quoted > and a DOCTYPE subset alone', () => {
    for (const xml of [
      '<a><![CDATA[ <b> ]]><!-- <c> --></a>',
      '<a x="1>2"><b/></a>',
      '<!DOCTYPE x [<!ENTITY e "v">]><a>&e;</a>',
      '<?xml version="1.0"?><a/>',
    ])
      expect(repairXml(xml, options)).toEqual({ xml, flaws: [], tooDeep: false, root: 'a' });
  });

  it('drops an unterminated comment or CDATA section at the end', () => {
    expect(repairXml('<a><b>x</b><!-- cut', options).xml).toBe('<a><b>x</b></a>');
    expect(repairXml('<a><b><![CDATA[ cut', options).xml).toBe('<a><b></b></a>');
  });

  it('refuses nesting past the limit instead of repairing it', () => {
    expect(checkXmlBalance('<a>'.repeat(101), options).tooDeep).toBe(true);
  });

  // A search down the open elements for each end tag would make this 1,000 × 100,000 steps; the counts
  // of open names answer in one, so the test's own time limit is never near.
  it('mends a megabyte of mismatched and stray end tags under a deep stack in one pass', () => {
    const deep = '<d>'.repeat(990);
    const hostile = '<a>' + deep + '<b><c></b>'.repeat(50_000) + '</z>'.repeat(100_000);
    const repaired = repairXml(hostile, { maxDepth: 1000 });
    expect(repaired.flaws).toEqual(['mismatched end tags', 'stray end tags', 'elements left open']);
    expect(repaired.xml.endsWith('</d>'.repeat(990) + '</a>')).toBe(true);
  });
});

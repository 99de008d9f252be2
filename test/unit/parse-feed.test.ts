import { describe, expect, it } from 'vitest';
import { entriesToItems, MAX_SUMMARY_LENGTH, toIsoDate } from '../../activities/feeds/entries-to-items.js';
import { htmlToText } from '../../activities/feeds/html-to-text.js';
import { NotAFeedError, parseFeedDocument } from '../../activities/feeds/parse-feed.js';
import { decodeBody } from '../../activities/http/decode-body.js';
import { readFixture, readFixtureText } from '../helpers/fixtures.js';

/** A minimal RSS 2.0 document around the given <item> elements. */
function rss(items: string, channelLink = 'https://site.example.test/'): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Inline</title>${channelLink ? `<link>${channelLink}</link>` : ''}<description>d</description>${items}</channel></rss>`;
}

describe('parsing the RSS 2.0 news fixture', () => {
  const feed = parseFeedDocument(readFixtureText('feeds/rss2-news.xml'));
  // The feed is served from another host than its site, so relative links show which base was used.
  const items = entriesToItems(feed, 'https://cdn.example.test/feeds/news.xml');

  it('detects the RSS format and reads the channel link as the site link', () => {
    expect(feed.format).toBe('rss');
    expect(feed.siteLink).toBe('https://news.example.test/');
    expect(feed.entries).toHaveLength(6);
  });

  it('keeps one item per canonical URL, in feed order, and drops the entry without a link', () => {
    expect(items.map((item) => item.canonicalUrl)).toEqual([
      'https://news.example.test/2026/11/ferry-timetable',
      'https://news.example.test/2026/11/storm-warning',
      'https://news.example.test/2026/11/fish-market',
      'https://news.example.test/2026/11/letters-lighthouse',
    ]);
    expect(items.map((item) => item.title)).not.toContain('An entry with no link at all');
  });

  it('keeps the first of two entries whose links differ only by tracking parameters', () => {
    const ferry = items.filter((item) => item.canonicalUrl.endsWith('/ferry-timetable'));
    expect(ferry).toHaveLength(1);
    expect(ferry[0]?.title).toBe('Council approves new ferry timetable');
  });

  it('keeps the link as written in url but strips tracking parameters and fragments from canonicalUrl', () => {
    expect(items[0]?.url).toBe('https://news.example.test/2026/11/ferry-timetable?utm_source=rss&utm_medium=feed');
    expect(items[2]?.url).toBe('https://news.example.test/2026/11/fish-market#comments');
    expect(items[2]?.canonicalUrl).toBe('https://news.example.test/2026/11/fish-market');
  });

  it('resolves a relative entry link against the feed site link, not the address the feed came from', () => {
    expect(items[1]).toMatchObject({
      url: 'https://news.example.test/2026/11/storm-warning',
      canonicalUrl: 'https://news.example.test/2026/11/storm-warning',
    });
  });

  it('uses a permalink guid as the link when the item has no <link>', () => {
    expect(items[3]?.url).toBe('https://news.example.test/2026/11/letters-lighthouse');
  });

  it('normalises RFC 822 dates to ISO 8601 and turns an unparsable date into null', () => {
    expect(items[0]?.publishedAt).toBe('2026-11-23T18:05:00.000Z');
    expect(items[1]?.publishedAt).toBe('2026-11-23T12:30:00.000Z');
    expect(items[3]?.publishedAt).toBeNull();
  });

  it('reads the author from dc:creator and leaves it null when absent', () => {
    expect(items[0]?.author).toBe('Ines Moreau');
    expect(items[1]?.author).toBeNull();
  });
});

describe('parsing the Atom blog fixture', () => {
  const feed = parseFeedDocument(readFixtureText('feeds/atom-blog.xml'));
  const items = entriesToItems(feed, 'https://blog.example.test/atom.xml');

  it('detects Atom and takes the alternate link, not the self link, as the site link', () => {
    expect(feed.format).toBe('atom');
    expect(feed.siteLink).toBe('https://blog.example.test/');
  });

  it('takes the alternate link of an entry that also has a replies link', () => {
    expect(items[0]?.url).toBe('https://blog.example.test/posts/durable-workflows');
  });

  it('resolves a relative entry href against the site link', () => {
    expect(items[1]?.url).toBe('https://blog.example.test/posts/feed-quirks');
  });

  it('reads author and published time, falling back to updated when published is missing', () => {
    expect(items[0]).toMatchObject({ author: 'Sam Okafor', publishedAt: '2026-11-20T09:00:00.000Z' });
    expect(items[1]).toMatchObject({ author: null, publishedAt: '2026-11-18T08:00:00.000Z' });
  });

  it('falls back to the content when an entry has no summary', () => {
    expect(items[0]?.summary).toBe('Retries, timeouts and cancellation, without a cron in sight.');
    expect(items[1]?.summary).toContain("Relative hrefs resolve against the feed's site.");
  });
});

describe('choosing Atom links', () => {
  it('prefers the alternate link even when self and replies links come first', () => {
    const feed = parseFeedDocument(`<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><id>urn:x</id><updated>2026-11-20T10:00:00Z</updated>
  <link rel="self" href="https://feeds.example.test/blog.atom"/>
  <link rel="alternate" href="https://blog.example.test/"/>
  <entry><title>e</title><id>urn:e</id><updated>2026-11-20T10:00:00Z</updated>
    <link rel="replies" href="https://blog.example.test/e#comments"/>
    <link rel="edit" href="https://blog.example.test/api/e"/>
    <link href="https://blog.example.test/e"/>
  </entry>
</feed>`);
    expect(feed.siteLink).toBe('https://blog.example.test/');
    expect(feed.entries[0]?.link).toBe('https://blog.example.test/e');
  });
});

describe('parsing the JSON Feed fixture', () => {
  const feed = parseFeedDocument(readFixtureText('feeds/json-feed.json'));
  const items = entriesToItems(feed, 'https://wire.example.test/feed.json');

  it('detects JSON Feed and reads home_page_url as the site link', () => {
    expect(feed.format).toBe('json');
    expect(feed.siteLink).toBe('https://wire.example.test/');
  });

  it('converts a date with a UTC offset to ISO 8601 in UTC and reads the first author', () => {
    expect(items[0]).toEqual({
      url: 'https://wire.example.test/markets/rates-hold',
      canonicalUrl: 'https://wire.example.test/markets/rates-hold',
      title: 'Central bank holds rates',
      summary: 'No change for the third meeting in a row.',
      author: 'Wire Desk',
      publishedAt: '2026-11-23T13:00:00.000Z',
    });
  });

  it('falls back to external_url for the link and content_text for the summary', () => {
    expect(items[1]).toMatchObject({
      url: 'https://elsewhere.example.test/analysis',
      title: null,
      summary: 'An analysis hosted on another site.',
      publishedAt: '2026-11-22T08:00:00.000Z',
    });
  });
});

describe('parsing the RSS 1.0 (RDF) fixture', () => {
  it('detects RDF and reads dc:creator and dc:date', () => {
    const feed = parseFeedDocument(readFixtureText('feeds/rdf-rss1.xml'));
    expect(feed.format).toBe('rdf');
    expect(feed.siteLink).toBe('https://science.example.test/');
    expect(entriesToItems(feed, 'https://science.example.test/rss')).toEqual([
      {
        url: 'https://science.example.test/notes/comet',
        canonicalUrl: 'https://science.example.test/notes/comet',
        title: 'A comet visible to the naked eye',
        summary: 'Look north-west after sunset.',
        author: 'Ada Lin',
        publishedAt: '2026-11-21T19:00:00.000Z',
      },
    ]);
  });
});

describe('parsing a windows-1251 feed', () => {
  it('decodes the title to Cyrillic when the body is decoded with the charset of its XML declaration', () => {
    const feed = parseFeedDocument(decodeBody(readFixture('feeds/rss-windows-1251.xml'), null));
    const items = entriesToItems(feed, 'https://ru.example.test/rss');
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ url: 'https://ru.example.test/news/1', title: 'Привет, мир' });
  });

  it('does not yield the Cyrillic title when the same bytes are read as UTF-8', () => {
    const feed = parseFeedDocument(readFixtureText('feeds/rss-windows-1251.xml'));
    expect(feed.entries[0]?.title).not.toBe('Привет, мир');
  });
});

describe('parsing a feed of 1000 items', () => {
  it('keeps every one of the 1000 distinct entries, in order', () => {
    const feed = parseFeedDocument(readFixtureText('feeds/rss2-1000-items.xml'));
    const items = entriesToItems(feed, 'https://bulk.example.test/rss');
    expect(feed.entries).toHaveLength(1000);
    expect(items).toHaveLength(1000);
    expect(new Set(items.map((item) => item.canonicalUrl)).size).toBe(1000);
    expect(items[0]).toMatchObject({
      url: 'https://bulk.example.test/a/0',
      title: 'Item 0',
      publishedAt: '2026-11-23T10:00:00.000Z',
    });
    expect(items[999]).toMatchObject({ url: 'https://bulk.example.test/a/999', title: 'Item 999' });
  });
});

describe('refusing what is not a feed', () => {
  it('throws NotAFeedError for an HTML page', () => {
    const page = readFixtureText('pages/not-a-feed.html');
    expect(() => parseFeedDocument(page)).toThrow(NotAFeedError);
    try {
      parseFeedDocument(page);
    } catch (error) {
      expect((error as Error).name).toBe('NotAFeedError');
      expect((error as Error).message).toMatch(/not an RSS, Atom, RDF or JSON feed/);
    }
  });

  it('throws NotAFeedError for plain text and for JSON that is not a JSON Feed', () => {
    expect(() => parseFeedDocument('hello, world')).toThrow(NotAFeedError);
    expect(() => parseFeedDocument('{"items": "nope"}')).toThrow(NotAFeedError);
  });
});

describe('turning entries into items', () => {
  it('collapses runs of whitespace in titles, summaries and authors and trims them', () => {
    const feed = parseFeedDocument(
      rss(`<item><title>  Two
        lines\tof title  </title><link>https://site.example.test/a</link><description>
        First   line.

        Second\tline.
      </description><dc:creator>  Jo   Bloggs </dc:creator></item>`),
    );
    expect(entriesToItems(feed, 'https://site.example.test/rss')[0]).toMatchObject({
      title: 'Two lines of title',
      summary: 'First line. Second line.',
      author: 'Jo Bloggs',
    });
  });

  it('caps a long summary at MAX_SUMMARY_LENGTH characters ending with an ellipsis', () => {
    const long = 'word '.repeat(1000);
    const feed = parseFeedDocument(
      rss(`<item><link>https://site.example.test/long</link><description>${long}</description></item>`),
    );
    const summary = entriesToItems(feed, 'https://site.example.test/rss')[0]?.summary ?? '';
    expect(MAX_SUMMARY_LENGTH).toBe(2000);
    expect(summary).toHaveLength(MAX_SUMMARY_LENGTH);
    expect(summary.endsWith('…')).toBe(true);
    expect(summary.startsWith('word word')).toBe(true);
  });

  it('leaves a summary of exactly the limit untouched', () => {
    const exact = 'x'.repeat(MAX_SUMMARY_LENGTH);
    const feed = parseFeedDocument(
      rss(`<item><link>https://site.example.test/exact</link><description>${exact}</description></item>`),
    );
    expect(entriesToItems(feed, 'https://site.example.test/rss')[0]?.summary).toBe(exact);
  });

  it('turns a whitespace-only title into null', () => {
    const feed = parseFeedDocument(rss('<item><title>   </title><link>https://site.example.test/blank</link></item>'));
    expect(entriesToItems(feed, 'https://site.example.test/rss')[0]?.title).toBeNull();
  });

  it('drops entries whose link is not http(s), and an entry whose only guid is not a permalink', () => {
    const feed = parseFeedDocument(
      rss(`<item><title>mail</title><link>mailto:desk@site.example.test</link></item>
        <item><title>script</title><link>javascript:alert(1)</link></item>
        <item><title>guid only</title><guid isPermaLink="false">internal-42</guid></item>
        <item><title>kept</title><link>https://site.example.test/kept</link></item>`),
    );
    expect(entriesToItems(feed, 'https://site.example.test/rss').map((item) => item.title)).toEqual(['kept']);
  });

  it('resolves relative links against the feed address when the feed names no site link', () => {
    const feed = parseFeedDocument(rss('<item><link>../articles/7</link></item>', ''));
    expect(feed.siteLink).toBeNull();
    expect(entriesToItems(feed, 'https://host.example.test/feeds/all/rss.xml')[0]?.url).toBe(
      'https://host.example.test/feeds/articles/7',
    );
  });

  it('collapses links that differ only in host case, default port and fragment', () => {
    const feed = parseFeedDocument(
      rss(`<item><title>one</title><link>https://Site.Example.Test:443/story#top</link></item>
        <item><title>two</title><link>https://site.example.test/story?fbclid=abc</link></item>
        <item><title>three</title><link>https://site.example.test/Story</link></item>`),
    );
    const items = entriesToItems(feed, 'https://site.example.test/rss');
    // The path is case-sensitive, so /Story is a different article.
    expect(items.map((item) => [item.title, item.canonicalUrl])).toEqual([
      ['one', 'https://site.example.test/story'],
      ['three', 'https://site.example.test/Story'],
    ]);
  });
});

describe('feed dates', () => {
  it.each([
    ['Episode 12', null],
    ['1', null],
    ['not a date', null],
    ['2026-11-23', '2026-11-23T00:00:00.000Z'],
    ['2026-11-23 10:00', '2026-11-23T10:00:00.000Z'],
    ['2026-11-23T10:00:00', '2026-11-23T10:00:00.000Z'],
    ['2026-11-23T14:00:00+01:00', '2026-11-23T13:00:00.000Z'],
    ['Mon, 23 Nov 2026 18:05:00 +0000', '2026-11-23T18:05:00.000Z'],
    ['23 Nov 2026 12:30 EST', '2026-11-23T17:30:00.000Z'],
  ])('reads %j as %j whatever the server time zone', (value, expected) => {
    expect(toIsoDate(value)).toBe(expected);
  });
});

describe('titles and summaries are plain text', () => {
  it('drops markup and decodes entities from HTML-typed titles and CDATA summaries', () => {
    const atom = entriesToItems(
      parseFeedDocument(readFixtureText('feeds/atom-blog.xml')),
      'https://blog.example.test/atom.xml',
    );
    expect(atom[1]?.title).toBe('Relative links & other feed quirks');
    expect(atom[1]?.summary).toBe("Relative hrefs resolve against the feed's site.");
    const rss = entriesToItems(
      parseFeedDocument(readFixtureText('feeds/rss2-news.xml')),
      'https://news.example.test/feed.xml',
    );
    expect(rss[0]?.summary).toBe('The council voted 7–2 to add evening crossings from January.');
  });

  it('drops scripts with their content and keeps numeric entities', () => {
    expect(htmlToText('<p>a&#8217;s <script>alert(1)</script>b&#x2014;c &unknown; &lt;tag&gt;</p>')).toBe(
      'a’s b—c &unknown; <tag>',
    );
  });
});

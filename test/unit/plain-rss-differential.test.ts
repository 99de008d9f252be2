/**
 * The lean RSS path must give exactly what the feedsmith path gives, or refuse. For every fixture that
 * holds RSS, for a table of tricky items and for a few hundred generated feeds: whenever readPlainRss
 * reads a document, its result equals parseWithFeedsmith's field by field (entries, their order and
 * count, the site link). The lists of documents it must read keep the comparison from passing by
 * refusing everything.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseWithFeedsmith } from '../../activities/feeds/parse-feed.js';
import { readPlainRss } from '../../activities/feeds/plain-rss.js';
import { decodeBody } from '../../activities/http/decode-body.js';
import { scriptTitlesFeed } from '../fixtures/hostile/cpu/generate.js';
import { fixturesDir } from '../helpers/fixtures.js';

/** What the feedsmith path answers: the feed, or the error's name when it refuses the document. */
function feedsmithReading(body: string): unknown {
  try {
    return parseWithFeedsmith(body);
  } catch (error) {
    return (error as Error).name;
  }
}

/** Reads `body` both ways; true when the lean path read it (and then it must have matched). */
function leanMatchesFeedsmith(body: string): boolean {
  const lean = readPlainRss(body);
  if (lean !== null) expect(lean).toEqual(feedsmithReading(body));
  return lean !== null;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('every RSS fixture', () => {
  const rssFixtures = filesUnder(fixturesDir)
    .filter((path) => /\.(xml|rss)$/.test(path))
    .map((path) => ({ name: relative(fixturesDir, path), bytes: readFileSync(path) }))
    .filter(({ bytes }) => /<(\w+:)?rss[\s>]/i.test(bytes.toString('latin1')));

  it('is read by the lean path exactly as feedsmith reads it, or left to feedsmith', () => {
    const readLean: string[] = [];
    for (const { name, bytes } of rssFixtures) {
      // As served (decoded by its declared charset, as the activity does) and as UTF-8 regardless.
      const asDecoded = leanMatchesFeedsmith(decodeBody(bytes, null));
      const asUtf8 = leanMatchesFeedsmith(bytes.toString('utf8'));
      if (asDecoded && asUtf8) readLean.push(name);
    }
    expect(readLean.sort()).toEqual([
      'feeds/forgiving/rss092-oreilly.xml',
      'feeds/rss-windows-1251.xml',
      'feeds/rss2-1000-items.xml',
      'feeds/rss2-local-articles.xml',
      'feeds/rss2-news.xml',
      'hostile/payload/feed-template.xml',
      'hostile/records/feed-nul-title.xml',
      'hostile/ssrf/feed.xml',
      'search/bing-news-harbour.xml',
      'search/bing-web-results.xml',
      'search/google-news-ferry.xml',
      'search/google-news-harbour.xml',
    ]);
  });

  it('leaves the broken, prefixed and namespaced ones to feedsmith', () => {
    const leftToFeedsmith = rssFixtures
      .filter(({ bytes }) => readPlainRss(bytes.toString('utf8')) === null)
      .map(({ name }) => name)
      .sort();
    expect(leftToFeedsmith).toEqual([
      'feeds/forgiving/rss-cut-off-root-end-tag.xml',
      'feeds/forgiving/rss-prefixed-root.xml',
      'feeds/forgiving/rss-stray-end-tag.xml',
      'feeds/forgiving/rss-userland-namespace.xml',
      'feeds/forgiving/rss092-oreilly-cut-off.xml',
    ]);
  });

  it('reads the hostile feed of unclosed script tags in its titles as feedsmith does', () => {
    expect(leanMatchesFeedsmith(scriptTitlesFeed(3))).toBe(true);
  });
});

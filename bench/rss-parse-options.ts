/**
 * Is a lean fast-xml-parser set-up worth a path of its own? Times feedsmith's parseFeed against
 * fast-xml-parser configured only for what rss_feed reads, and the lean path built on it
 * (activities/feeds/plain-rss.ts) against the feedsmith path, on the 1,000-item RSS 2.0 fixture, in
 * turns round after round so every variant meets the same load:
 *   npx tsx bench/rss-parse-options.ts [rounds]
 */
import { XMLParser } from 'fast-xml-parser';
import { parseFeed } from 'feedsmith';
import { parseWithFeedsmith } from '../activities/feeds/parse-feed.js';
import { readPlainRss } from '../activities/feeds/plain-rss.js';
import { checkXmlBalance } from '../activities/text/xml-tag-balance.js';
import { readFixtureText } from '../test/helpers/fixtures.js';

const rounds = Number(process.argv[2] ?? 60);
const feedXml = readFixtureText('feeds/rss2-1000-items.xml');
const lower = (name: string) => name.toLowerCase();

/** feedsmith's own base options, without its ~100 stop-node paths and namespace callbacks. */
const base = {
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  jPath: false,
} as const;

const variants: Record<string, () => unknown> = {
  'feedsmith parseFeed': () => parseFeed(feedXml),
  'fxp, item children as stop nodes, lower-cased names': (() => {
    const parser = new XMLParser({
      ...base,
      transformTagName: lower,
      transformAttributeName: lower,
      stopNodes: ['rss.channel.item.*', 'rss.channel.link'],
    });
    return (): unknown => parser.parse(feedXml);
  })(),
  'fxp, no stop nodes, names as written': (() => {
    const parser = new XMLParser({ ...base });
    return (): unknown => parser.parse(feedXml);
  })(),
  'fxp, channel children (items whole) as stop nodes': (() => {
    const parser = new XMLParser({
      ...base,
      ignoreAttributes: true,
      transformTagName: lower,
      stopNodes: ['rss.channel.*'],
    });
    return (): unknown => parser.parse(feedXml);
  })(),
  'parseWithFeedsmith (feedsmith + entries)': () => parseWithFeedsmith(feedXml),
  'readPlainRss (lean path: checks, fxp, entries)': () => {
    if (readPlainRss(feedXml) === null) throw new Error('the lean path refused the fixture');
  },
  'checkXmlBalance (well-formedness pass)': () => checkXmlBalance(feedXml, { maxDepth: 100 }),
};

const samples = new Map<string, number[]>(Object.keys(variants).map((name) => [name, []]));
for (let round = -5; round < rounds; round += 1) {
  for (const [name, run] of Object.entries(variants)) {
    const started = performance.now();
    run();
    if (round >= 0) samples.get(name)!.push(performance.now() - started);
  }
}
const medianOf = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const feedsmithMedian = medianOf(samples.get('feedsmith parseFeed')!);
console.log(`rss2-1000-items.xml, ${rounds} rounds after 5 warm-up rounds`);
console.log('| variant | fastest ms | median ms | feedsmith median / median |');
console.log('|---|---|---|---|');
for (const [name, values] of samples) {
  const median = medianOf(values);
  const fastest = Math.min(...values);
  console.log(`| ${name} | ${fastest.toFixed(2)} | ${median.toFixed(2)} | ${(feedsmithMedian / median).toFixed(2)}× |`);
}

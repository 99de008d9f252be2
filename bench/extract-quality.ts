/**
 * Article extraction quality and time on real pages with expected text (bench/extract-pages/, whose
 * README says where each page and its expected text come from), next to Readability alone.
 *   npx tsx bench/extract-quality.ts [--pages] [--ablation] [--rounds N]
 *
 * Quality: token precision, recall and F1 of each page's text against its expected text
 * (bench/lib/token-f1.ts), averaged over the pages of a set: "dev" is what the extractor was tuned
 * on, "held-out" was not looked at while tuning. Time: each page read `rounds` times in this process
 * after a warm-up, p50 and p95 over all readings; the machine's load average is printed with them.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { extractArticle } from '../activities/articles/extract-article.js';
import { ALL_FEATURES, type ReadingFeatures } from '../activities/articles/read-article.js';
import { SiteMemory } from '../activities/articles/site-memory.js';
import { readabilityAlone } from './lib/readability-alone.js';
import { type TokenScore, tokenScore } from './lib/token-f1.js';

interface Page {
  name: string;
  set: 'dev' | 'held-out';
  url: string;
}

const args = process.argv.slice(2);
const showPages = args.includes('--pages');
const ablation = args.includes('--ablation');
const roundsAt = args.indexOf('--rounds');
const rounds = roundsAt === -1 ? 5 : Number(args[roundsAt + 1]);
const dir = new URL('./extract-pages/', import.meta.url);
const pages = (JSON.parse(readFileSync(new URL('pages.json', dir), 'utf8')) as Page[]).map((page) => ({
  ...page,
  html: readFileSync(new URL(`${page.name}/source.html`, dir), 'utf8'),
  expected: readFileSync(new URL(`${page.name}/expected.txt`, dir), 'utf8'),
}));

type Extractor = (html: string, url: string) => string;
// Each extractor has its own site memory, filled in the order of pages.json, as one worker thread's would be.
const newloom = (features: ReadingFeatures): Extractor => {
  const memory = new SiteMemory();
  return (html, url) => {
    try {
      return extractArticle(html, url, undefined, undefined, features, memory).text;
    } catch {
      return '';
    }
  };
};
const extractors: [string, Extractor][] = [
  ['readability alone', (html) => readabilityAlone(html)],
  ['newloom', newloom(ALL_FEATURES)],
];
if (ablation)
  extractors.push(
    ['- structured data', newloom({ ...ALL_FEATURES, structuredData: false })],
    ['- pruning', newloom({ ...ALL_FEATURES, pruning: false })],
    ['- fallback', newloom({ ...ALL_FEATURES, fallback: false })],
    ['- site repeats', newloom({ ...ALL_FEATURES, siteRepeats: false })],
    [
      'readability + pruning only',
      newloom({ structuredData: false, pruning: true, fallback: false, siteRepeats: false }),
    ],
  );

const fixed = (value: number) => value.toFixed(3);
const mean = (scores: TokenScore[], key: keyof TokenScore) =>
  scores.reduce((sum, score) => sum + score[key], 0) / scores.length;

const scores = new Map<string, Map<string, TokenScore>>();
for (const [label, extract] of extractors) {
  const byPage = new Map<string, TokenScore>();
  for (const page of pages) byPage.set(page.name, tokenScore(extract(page.html, page.url), page.expected));
  scores.set(label, byPage);
}

console.log(`quality: ${pages.length} pages, token precision / recall / F1, mean over pages`);
console.log('| extractor | set | pages | precision | recall | F1 |');
console.log('|---|---|---|---|---|---|');
for (const set of ['dev', 'held-out', 'all'] as const) {
  const inSet = pages.filter((page) => set === 'all' || page.set === set);
  for (const [label] of extractors) {
    const sample = inSet.map((page) => scores.get(label)!.get(page.name)!);
    console.log(
      `| ${label} | ${set} | ${inSet.length} | ${fixed(mean(sample, 'precision'))} | ${fixed(mean(sample, 'recall'))} | ${fixed(mean(sample, 'f1'))} |`,
    );
  }
}

if (showPages) {
  console.log('\n| page | set | readability P / R / F1 | newloom P / R / F1 |');
  console.log('|---|---|---|---|');
  for (const page of pages) {
    const [before, after] = ['readability alone', 'newloom'].map((label) => scores.get(label)!.get(page.name)!);
    const show = (score: TokenScore) => `${fixed(score.precision)} / ${fixed(score.recall)} / ${fixed(score.f1)}`;
    const mark = after!.f1 < before!.f1 - 0.001 ? ' (worse)' : '';
    console.log(`| ${page.name} | ${page.set} | ${show(before!)} | ${show(after!)}${mark} |`);
  }
}

// Time: every page, `rounds` times, after one warm-up pass over all pages.
const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
console.log(
  `\ntime per page: ${pages.length} pages × ${rounds} rounds, load average ${loadavg()
    .map((load) => load.toFixed(1))
    .join(' ')}`,
);
console.log('| extractor | p50 ms | p95 ms | max ms |');
console.log('|---|---|---|---|');
for (const [label, extract] of extractors.slice(0, 2)) {
  for (const page of pages) extract(page.html, page.url);
  const times: number[] = [];
  for (let round = 0; round < rounds; round += 1)
    for (const page of pages) {
      const started = performance.now();
      extract(page.html, page.url);
      times.push(performance.now() - started);
    }
  times.sort((a, b) => a - b);
  console.log(
    `| ${label} | ${quantile(times, 0.5).toFixed(1)} | ${quantile(times, 0.95).toFixed(1)} | ${times.at(-1)!.toFixed(1)} |`,
  );
}
console.log(
  `load average after: ${loadavg()
    .map((load) => load.toFixed(1))
    .join(' ')}`,
);

import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../activities/articles/extract-article.js';
import { parseHtmlDocument } from '../../activities/articles/light-dom.js';
import { ALL_FEATURES, readArticle } from '../../activities/articles/read-article.js';
import type { DomDocument } from '../../activities/articles/dom.js';
import { tokenize, tokenScore } from '../../bench/lib/token-f1.js';

const url = 'https://news.example.test/2026/12/harbour';
const paragraph = (n: number) =>
  `<p>Paragraph ${n} of the story tells what the council decided about the harbour, why the vote was close, and what the ferry operator said when asked about the winter timetable.</p>`;
const story = Array.from({ length: 6 }, (_, n) => paragraph(n + 1)).join('\n');
const page = (head: string, body: string) =>
  `<!DOCTYPE html><html lang="en-gb"><head><title>Harbour vote – Courier</title>${head}</head><body>${body}</body></html>`;
const read = (html: string, features = ALL_FEATURES) => extractArticle(html, url, undefined, undefined, features);

describe('article reading', () => {
  it('reads title, author, date, lead image and language from JSON-LD, falling back to OpenGraph and meta', () => {
    const jsonLd = {
      '@context': 'https://schema.org',
      '@graph': [
        { '@type': 'WebSite', name: 'Courier' },
        {
          '@type': 'NewsArticle',
          headline: 'Council backs harbour plan',
          author: [{ '@type': 'Person', name: 'Ana Lind' }, { name: 'Per Holm' }],
          datePublished: '2026-12-01T08:30:00+01:00',
          image: { '@type': 'ImageObject', url: '/img/lead.jpg' },
          inLanguage: 'sv-SE',
        },
      ],
    };
    const article = read(
      page(`<script type="application/ld+json">${JSON.stringify(jsonLd)}</script>`, `<article>${story}</article>`),
    );
    expect(article).toMatchObject({
      title: 'Council backs harbour plan',
      author: 'Ana Lind, Per Holm',
      publishedAt: '2026-12-01T07:30:00.000Z',
      image: 'https://news.example.test/img/lead.jpg',
      language: 'en-GB',
    });

    const fromMeta = read(
      `<html><head><meta property="og:image" content="https://cdn.example.test/a.jpg"><meta property="og:locale" content="pt_BR"><meta name="author" content="Rui Sá"><meta property="article:published_time" content="2026-12-02T10:00:00Z"></head><body><article>${story}</article></body></html>`,
    );
    expect(fromMeta).toMatchObject({
      author: 'Rui Sá',
      publishedAt: '2026-12-02T10:00:00.000Z',
      image: 'https://cdn.example.test/a.jpg',
      language: 'pt-BR',
    });
  });

  it('survives broken JSON-LD and refuses a javascript: image', () => {
    const article = read(
      page(
        `<script type="application/ld+json">{"@type": "NewsArticle",, }</script><meta property="og:image" content="javascript:alert(1)">`,
        `<article>${story}</article>`,
      ),
    );
    expect(article.image).toBeNull();
    expect(article.text).toContain('Paragraph 6 of the story');
  });

  it('keeps paragraphs apart and leaves out captions, share bars, related links, newsletter boxes and counters', () => {
    const html = page(
      '',
      `<article>
        <div class="share-bar"><a href="/s/fb">Share on Facebook</a> <a href="/s/x">Share on X</a></div>
        <p class="post-date">1 December 2026</p>
        ${paragraph(1)}
        <figure><img src="/a.jpg"><figcaption>The harbour at dawn. Photo: Jonas Berg</figcaption></figure>
        ${paragraph(2)}
        <div class="newsletter-signup"><p>Get the Courier in your inbox every morning, free.</p></div>
        ${paragraph(3)}
        <ul class="related-links"><li><a href="/a">Ferry fares rise</a></li><li><a href="/b">New pier opens</a></li></ul>
        ${paragraph(4)}${paragraph(5)}${paragraph(6)}
        <div class="comment-count">42</div>
      </article>`,
    );
    const text = read(html).text;
    expect(text.split('\n\n')).toHaveLength(6);
    expect(text.startsWith('Paragraph 1 of the story')).toBe(true);
    for (const furniture of ['Share on', 'Photo: Jonas', 'inbox', 'Ferry fares', '42', 'December 2026'])
      expect(text).not.toContain(furniture);
    // Readability alone keeps some of it: what pruning removes is measured, not assumed.
    expect(read(html, { ...ALL_FEATURES, pruning: false }).text).toContain('Photo: Jonas');
  });

  it('keeps a list of short facts at the end of the article, trimming only link-like fragments', () => {
    const html = page(
      '',
      `<article>${story}<ul><li>Fare from January: 40 kr</li><li>Crossing time: 25 minutes</li><li>Last boat: 21:40</li></ul><p>Menu</p></article>`,
    );
    const text = read(html).text;
    expect(text).toMatch(/Fare from January: 40 kr\n\nCrossing time: 25 minutes\n\nLast boat: 21:40$/);
  });

  it('takes a whole JSON-LD articleBody over the page, but not a teaser', () => {
    const body = Array.from(
      { length: 6 },
      (_, n) =>
        `Structured paragraph ${n + 1} of the story tells what the council decided about the harbour, why the vote was close, and what the ferry operator said.`,
    ).join('\n');
    const ld = (articleBody: string) =>
      `<script type="application/ld+json">${JSON.stringify({ '@type': 'NewsArticle', articleBody })}</script>`;
    const whole = read(page(ld(body), `<article>${story}</article>`));
    expect(whole.text.split('\n\n')).toHaveLength(6);
    expect(whole.text).toContain('Structured paragraph 6');
    const teaser = read(page(ld(body.split('\n')[0]!), `<article>${story}</article>`));
    expect(teaser.text).toContain('Paragraph 6 of the story');
    expect(teaser.text).not.toContain('Structured paragraph');
  });

  it('falls back to the prose paragraphs when Readability finds too little', () => {
    // Paragraphs each in a table of their own at different depths: Readability keeps one of them.
    const prose = (n: number) =>
      `Sentence ${n} tells readers about the harbour vote, the ferry timetable, and the pier.`;
    const scattered = page(
      '',
      `<table><tr><td><div><p>${prose(1)}</p></div></td></tr></table><table><tr><td><section><div><p>${prose(2)}</p></div></section></td></tr></table><table><tr><td><span><div><div><p>${prose(3)}</p></div></div></span></td></tr></table>`,
    );
    expect(read(scattered).text).toBe([prose(1), prose(2), prose(3)].join('\n\n'));
    expect(read(scattered, { ...ALL_FEATURES, fallback: false }).text).toBe(prose(2));
  });
});

// Readability retries four times on a page where it finds little: seconds on a loaded machine.
describe('pruning that takes the article', { timeout: 60_000 }, () => {
  it('reads the page again without pruning when what is left is a small part of its paragraphs', () => {
    // The article's container says "comments" and holds a fifth of the page: a menu of 160 teasers.
    const cards = Array.from(
      { length: 80 },
      (_, n) => `<li><div><a href="/s/${n}">Teaser ${n}</a><p>A short line of teaser ${n} text.</p></div></li>`,
    ).join('');
    const html = `<html><body><ul class="cards">${cards}</ul><div class="article-body comments-enabled">${story}</div><ul class="cards">${cards}</ul></body></html>`;
    const document = () => parseHtmlDocument(html) as unknown as DomDocument;
    expect(readArticle(document(), null, 30_000, ALL_FEATURES)).toBeNull();
    const reread = readArticle(document(), null, 30_000, ALL_FEATURES, { reparse: document });
    expect(reread?.text.split('\n\n')).toHaveLength(6);
    expect(read(html).text).toContain('Paragraph 6 of the story');
  });
});

describe('token F1', () => {
  it('counts tokens with multiplicity, splitting unspaced scripts into characters', () => {
    expect(tokenize('The harbour, the Ferry!')).toEqual(['the', 'harbour', 'the', 'ferry']);
    expect(tokenize('港口2026年')).toEqual(['港', '口', '2026', '年']);
    expect(tokenScore('a b c d', 'a b c d')).toEqual({ precision: 1, recall: 1, f1: 1 });
    const score = tokenScore('a b c d share share', 'a b c d e');
    expect(score.precision).toBeCloseTo(4 / 6);
    expect(score.recall).toBeCloseTo(4 / 5);
    expect(tokenScore('', 'a').f1).toBe(0);
  });
});

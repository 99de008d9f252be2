import { describe, expect, it } from 'vitest';
import { dropFurnitureBlocks, removeFurniture } from '../../activities/articles/boilerplate.js';
import type { DomDocument, DomElement } from '../../activities/articles/dom.js';
import { extractArticle } from '../../activities/articles/extract-article.js';
import { parseHtmlDocument } from '../../activities/articles/light-dom.js';
import { blocksToText, textBlocks, type TextBlock } from '../../activities/articles/text-blocks.js';

// Each rule of the structural pruning and of the block trimming, on a small page: what it removes, and
// the article text next to it that it must leave alone.

const paragraph = (n: number) =>
  `<p>Paragraph ${n} of the story tells what the council decided about the harbour, why the vote was close, and what the ferry operator said when asked about the winter timetable.</p>`;
const story = Array.from({ length: 6 }, (_, n) => paragraph(n + 1)).join('\n');

/** The body's text after removeFurniture. */
function pruned(body: string): string {
  const document = parseHtmlDocument(`<html><body>${body}</body></html>`) as unknown as DomDocument;
  removeFurniture(document.body!);
  return blocksToText(textBlocks(document.body as DomElement));
}

const block = (text: string, linkChars = 0): TextBlock => ({ text, linkChars, heading: false, listItem: false });
const sentence = (n: number) =>
  `Sentence ${n} of the article says what happened at the harbour and why the council voted as it did.`;
const texts = (blocks: TextBlock[]) => blocks.map((kept) => kept.text);

describe('structural furniture', () => {
  it('removes the box around a login or sign-up control, not an article that holds a subscribe button', () => {
    const prompt = `<div class="regbox"><p>This article is for members. Register to read the rest of it.</p><div class="regbox_signup"><p>Choose a plan</p><a href="/join">Join now</a></div><div class="regbox_login"><a href="/in">Log in</a></div></div>`;
    const text = pruned(`<div class="story">${story}${prompt}</div>`);
    expect(text).not.toContain('for members');
    expect(text).not.toContain('Choose a plan');
    expect(text.split('\n\n')).toHaveLength(6);

    // The control's parent is the article: far more text than a prompt, so only the control goes.
    const inline = pruned(
      `<div class="story">${story}<div class="subscribe"><a href="/join">Subscribe</a></div></div>`,
    );
    expect(inline.split('\n\n')).toHaveLength(6);

    // A control inside a sentence belongs to the sentence.
    const sentence = `<p>Residents can <a class="register-link" href="/vote">register to vote</a> until Friday.</p>`;
    expect(pruned(`<div class="story">${story}${sentence}</div>`)).toContain(
      'Residents can register to vote until Friday.',
    );
  });

  it('removes a caption that repeats its picture’s alt text (a script beside it is not text), and leaves prose that merely mentions it', () => {
    const alt = 'Police officers adjust a barricade along the parade route';
    const text = pruned(
      `<div class="story"><div class="photo"><img src="/a.jpg" alt="${alt}"><cite>${alt}</cite><script>gallery.push(${JSON.stringify({ title: 'x'.repeat(2000) })})</script></div>${story}<p>${alt}, and the crowd waited for the balloons to rise over the avenue.</p></div>`,
    );
    expect(text.startsWith('Paragraph 1')).toBe(true);
    expect(text).toContain(`${alt}, and the crowd waited`);
    expect(text.split('\n\n')).toHaveLength(7);
  });

  it('removes the notice just before a comments section, not the article’s last paragraph', () => {
    const notice = `<div><p>We welcome lively debate. Comments are checked before they appear.</p><p>The views below are the readers' own.</p></div>`;
    const text = pruned(`<div class="story">${story}${notice}<div class="fb-comments"></div></div>`);
    expect(text).not.toContain('lively debate');
    expect(text).not.toContain('readers');
    expect(text.split('\n\n')).toHaveLength(6);

    const lastParagraphFirst = pruned(`<div class="story">${story}<div id="comments"></div></div>`);
    expect(lastParagraphFirst).toContain('Paragraph 6 of the story');

    const inSentence = pruned(
      `<div class="story">${story}<p>Readers wrote in: <a href="/letters">see the letters</a><span class="comment-count">12</span> and more.</p></div>`,
    );
    expect(inSentence).toContain('see the letters');
  });

  it('removes schema.org author and date markup, unless it sits inside a sentence', () => {
    const text = pruned(
      `<div class="story"><div class="meta-row"><span itemprop="author">Ana Lind</span> <time itemprop="datePublished">1 December 2026</time></div>${story}<p>The motion was written by <span itemprop="author">Per Holm</span>, who chairs the harbour board.</p></div>`,
    );
    expect(text).not.toContain('Ana Lind');
    expect(text).not.toContain('1 December 2026');
    expect(text).toContain('written by Per Holm, who chairs');
  });

  it('removes an author box by its class words', () => {
    const text = pruned(
      `<div class="story"><div class="info-item authors"><strong>Authors:</strong> <a href="/a/ana">Ana Lind</a> (harbour desk)</div>${story}</div>`,
    );
    expect(text).not.toContain('Ana Lind');
    expect(text.split('\n\n')).toHaveLength(6);
  });
});

describe('block trimming at the article’s edges', () => {
  const body = [1, 2, 3].map((n) => block(sentence(n)));

  it('drops a dateline (a year with a clock time or numeric date) at either end, not a sentence with a date', () => {
    const dated = [block('Wednesday, 28 August 2013, updated 14:00 (GMT+0400)'), ...body, block('Posted 2013-08-28')];
    expect(texts(dropFurnitureBlocks(dated))).toEqual(texts(body));
    const closing = block('The next meeting is on 2027-01-14 at 18:00 in the town hall.');
    expect(texts(dropFurnitureBlocks([...body, closing]))).toEqual(texts([...body, closing]));
  });

  it('drops the headline said again at the start, only there', () => {
    const headline = 'Council backs the harbour plan after a close vote';
    expect(texts(dropFurnitureBlocks([block(headline), ...body], [headline]))).toEqual(texts(body));
    expect(texts(dropFurnitureBlocks([block(headline), ...body]))).toHaveLength(4);
    expect(texts(dropFurnitureBlocks([...body, block(headline)], [headline]))).toHaveLength(4);
  });

  it('drops a lead-in ending in a colon at the end, where what it introduced is gone; keeps one mid-article', () => {
    const leadIn = block('See more photos from the harbour:');
    expect(texts(dropFurnitureBlocks([...body, leadIn]))).toEqual(texts(body));
    expect(texts(dropFurnitureBlocks([body[0]!, leadIn, body[1]!, body[2]!]))).toHaveLength(4);
  });

  it('drops the short title of a link list with the list, keeps a heading followed by prose', () => {
    const title = block('More on the harbour');
    const links = block('Ferry fares rise in January', 'Ferry fares rise in January'.length);
    expect(texts(dropFurnitureBlocks([body[0]!, title, links, body[1]!, body[2]!]))).toEqual(texts(body));
    expect(texts(dropFurnitureBlocks([body[0]!, title, body[1]!, body[2]!]))).toHaveLength(4);
  });
});

describe('the rules in a whole reading', () => {
  it('leaves the headline, the dateline and the comment notice out of the text of a page', () => {
    const html = `<html lang="en"><head><title>Council backs harbour plan</title></head><body><div class="page"><h1>Council backs harbour plan</h1><div class="when">Wednesday, 28 August 2013, updated 14:00</div><div class="body">${story}<div><p>Comments are checked before they appear. Please read our house rules first.</p></div><div id="comments"></div></div></div></body></html>`;
    const text = extractArticle(html, 'https://news.example.test/a', undefined, undefined).text;
    expect(text.startsWith('Paragraph 1 of the story')).toBe(true);
    expect(text.endsWith('the winter timetable.')).toBe(true);
  });
});

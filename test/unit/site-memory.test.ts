import { describe, expect, it } from 'vitest';
import { SiteMemory } from '../../activities/articles/site-memory.js';
import type { TextBlock } from '../../activities/articles/text-blocks.js';

const block = (text: string): TextBlock => ({ text, linkChars: 0, heading: false, listItem: false });
const story = (n: number) =>
  block(`Story ${n}: the council met on Monday and voted on the harbour plan after a long debate.`);
const pitch = block('Get our morning briefing in your inbox.');

describe('site memory', () => {
  it('drops a short block the site printed on two other pages, and only on that site', () => {
    const memory = new SiteMemory();
    const texts = (url: string, blocks: TextBlock[]) => memory.filter(url, blocks).map((kept) => kept.text);
    expect(texts('https://www.courier.test/a', [story(1), pitch])).toContain(pitch.text);
    expect(texts('https://courier.test/b', [story(2), pitch])).toContain(pitch.text);
    // Reading the same page again is not a repeat.
    expect(texts('https://courier.test/b', [story(2), pitch])).toContain(pitch.text);
    expect(texts('https://courier.test/c', [story(3), pitch])).toEqual([story(3).text]);
    expect(texts('https://gazette.test/a', [story(4), pitch])).toContain(pitch.text);
  });

  it('keeps long paragraphs however often they appear, and never empties a page', () => {
    const memory = new SiteMemory();
    const quote = block(`${'A long standing paragraph quoted on every page of the series. '.repeat(6)}`);
    for (const page of ['a', 'b', 'c', 'd']) memory.filter(`https://courier.test/${page}`, [quote, pitch]);
    expect(memory.filter('https://courier.test/e', [quote, pitch]).map((kept) => kept.text)).toEqual([quote.text]);
    expect(memory.filter('https://courier.test/f', [pitch])).toEqual([pitch]);
  });
});

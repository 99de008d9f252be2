import type { DomElement } from './dom.js';
import { dropFurnitureBlocks } from './boilerplate.js';
import { type TextBlock, textBlocks } from './text-blocks.js';

// Scripts written without spaces say as much in a third of the characters.
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}]/u;
const PROSE_CHARS = 80;

const isProse = (block: TextBlock) =>
  block.text.length >= (UNSPACED.test(block.text) ? PROSE_CHARS / 3 : PROSE_CHARS) &&
  block.linkChars / block.text.length < 0.3;

/**
 * The article as the paragraphs of the page that read like prose, in document order: long enough and
 * with few links, the way jusText and trafilatura's baseline classify blocks. Used when Readability
 * finds too little (a page without the container structure it scores); run after page furniture is
 * removed, so sidebars and footers are gone already. A heading is kept when prose follows it.
 */
export function proseParagraphs(body: DomElement): TextBlock[] {
  const blocks = textBlocks(body);
  const kept = blocks.filter((block, index) => {
    if (isProse(block)) return true;
    const next = blocks[index + 1];
    return block.heading && block.linkChars === 0 && next !== undefined && isProse(next);
  });
  return dropFurnitureBlocks(kept);
}

import { type DomElement, type DomNode, isElement, TEXT } from './dom.js';

/** One paragraph-level piece of an article: a paragraph, heading, list item, quote, table row... */
export interface TextBlock {
  text: string;
  /** Characters of the text that sit inside links. */
  linkChars: number;
  heading: boolean;
  /** Inside a list item: lists hold short lines on purpose (ingredients, facts), not only furniture. */
  listItem: boolean;
}

// Elements that start a new block of text; everything else is inline and joins its neighbours.
const BLOCK_ELEMENTS = new Set([
  'ADDRESS',
  'ARTICLE',
  'ASIDE',
  'BLOCKQUOTE',
  'BR',
  'DD',
  'DETAILS',
  'DIV',
  'DL',
  'DT',
  'FIELDSET',
  'FIGCAPTION',
  'FIGURE',
  'FOOTER',
  'FORM',
  'H1',
  'H2',
  'H3',
  'H4',
  'H5',
  'H6',
  'HEADER',
  'HR',
  'LI',
  'MAIN',
  'NAV',
  'OL',
  'P',
  'PRE',
  'SECTION',
  'SUMMARY',
  'TABLE',
  'TBODY',
  'TD',
  'TH',
  'THEAD',
  'TR',
  'UL',
]);
const HEADINGS = new Set(['H1', 'H2', 'H3', 'H4', 'H5', 'H6']);
// Never text: code, styling, embedded objects, form controls.
const SKIPPED = new Set([
  'SCRIPT',
  'STYLE',
  'NOSCRIPT',
  'TEMPLATE',
  'SVG',
  'MATH',
  'IFRAME',
  'OBJECT',
  'EMBED',
  'CANVAS',
  'VIDEO',
  'AUDIO',
  'SELECT',
  'OPTION',
  'TEXTAREA',
  'BUTTON',
  'INPUT',
  'HEAD',
  'TITLE',
]);

/** Collapses runs of white space (no-break spaces and zero-width characters included) to one space. */
export const normalizeSpace = (text: string) =>
  text
    .replace(/[\u200b-\u200d\u2060\ufeff]/g, '')
    .replace(/\s+/g, ' ')
    .trim();

/**
 * The text of root as blocks, in document order: a walk with an explicit stack (a deep page must not
 * overflow the call stack) that closes the current block at every block element's start and end.
 */
export function textBlocks(root: DomElement): TextBlock[] {
  const blocks: TextBlock[] = [];
  let parts: string[] = [];
  let linkChars = 0;
  let heading = false;
  let listItem = false;
  const flush = () => {
    const text = normalizeSpace(parts.join(''));
    if (text) blocks.push({ text, linkChars: Math.min(linkChars, text.length), heading, listItem });
    parts = [];
    linkChars = 0;
    heading = false;
    listItem = false;
  };
  type Step = { node: DomNode; inLink: boolean; inHeading: boolean; inListItem: boolean } | { close: true };
  const stack: Step[] = [];
  const pushChildren = (node: DomNode, inLink: boolean, inHeading: boolean, inListItem: boolean) => {
    // One read of childNodes: linkedom builds the list anew on every read.
    const children = node.childNodes;
    for (let index = children.length - 1; index >= 0; index -= 1)
      stack.push({ node: children[index]!, inLink, inHeading, inListItem });
  };
  pushChildren(root, false, false, false);
  while (stack.length > 0) {
    const step = stack.pop()!;
    if ('close' in step) {
      flush();
      continue;
    }
    const { node, inLink, inHeading, inListItem } = step;
    if (node.nodeType === TEXT) {
      const value = node.textContent ?? '';
      parts.push(value);
      if (inLink) linkChars += normalizeSpace(value).length;
      if (inHeading && value.trim()) heading = true;
      if (inListItem && value.trim()) listItem = true;
      continue;
    }
    if (!isElement(node) || SKIPPED.has(node.nodeName)) continue;
    if (node.getAttribute('hidden') !== null || node.getAttribute('aria-hidden') === 'true') continue;
    const block = BLOCK_ELEMENTS.has(node.nodeName);
    if (block) {
      flush();
      stack.push({ close: true });
    }
    pushChildren(
      node,
      inLink || node.nodeName === 'A',
      inHeading || HEADINGS.has(node.nodeName),
      inListItem || node.nodeName === 'LI',
    );
  }
  flush();
  return blocks;
}

export const wordCount = (text: string) => text.split(/\s+/).filter(Boolean).length;

export const blocksToText = (blocks: TextBlock[]) => blocks.map((block) => block.text).join('\n\n');

// Scripts written without spaces say as much in about a third of the characters.
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}]/gu;

/** Length in Latin-script characters' worth: a Chinese or Japanese character counts three. */
export const textWeight = (text: string) => text.length + 2 * (text.match(UNSPACED)?.length ?? 0);

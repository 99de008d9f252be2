import { ELEMENT_NODE, TEXT_NODE, type LightNode } from '../articles/light-dom.js';

// Inside a message these start a line of their own; everything else (bold, links, emoji) is inline.
const BLOCK_ELEMENTS = new Set(['BLOCKQUOTE', 'PRE', 'P', 'DIV']);

/**
 * A message's plain text as the preview shows it. Telegram writes line breaks as <br>, so they become
 * newlines; the page's own source whitespace collapses as a browser would; emoji are drawn as images
 * wrapping the character, so their text is the emoji itself.
 */
export function messageText(element: LightNode): string {
  const parts: string[] = [];
  const walk = (node: LightNode): void => {
    if (node.nodeType === TEXT_NODE) {
      parts.push((node.textContent ?? '').replace(/[ \t\n\r\f]+/g, ' '));
      return;
    }
    if (node.nodeType !== ELEMENT_NODE) return;
    if (node.nodeName === 'BR') {
      parts.push('\n');
      return;
    }
    const block = BLOCK_ELEMENTS.has(node.nodeName);
    if (block) parts.push('\n');
    for (const child of Array.from(node.childNodes)) walk(child);
    if (block) parts.push('\n');
  };
  for (const child of Array.from(element.childNodes)) walk(child);
  return parts
    .join('')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

import { ELEMENT_NODE, TEXT_NODE, type LightNode } from '../articles/light-dom.js';
import { SEPARATING_ELEMENTS } from './separating-elements.js';

/** Elements whose content is never shown as text. */
const HIDDEN_ELEMENTS = new Set(['SCRIPT', 'STYLE', 'TEMPLATE', 'NOSCRIPT']);

/**
 * A node's text as a reader sees it: `textContent` joins the words on either side of a `<br>` or a
 * block (`Brexit<br>vote` reads "Brexitvote"), so block elements and `<br>` become a space here while
 * inline elements join without one, the same rule htmlToText applies to markup in feeds. Entities are
 * already decoded by the HTML parser. Walked with an explicit stack: the page's depth is bounded
 * before parsing (light-dom), and no recursion depends on it.
 */
export function nodeText(root: LightNode | null | undefined): string {
  if (!root) return '';
  const parts: string[] = [];
  const pending: Array<LightNode | string> = [root];
  while (pending.length > 0) {
    const node = pending.pop()!;
    if (typeof node === 'string') {
      parts.push(node);
      continue;
    }
    if (node.nodeType === TEXT_NODE) {
      parts.push(node.textContent ?? '');
      continue;
    }
    if (node.nodeType !== ELEMENT_NODE || HIDDEN_ELEMENTS.has(node.nodeName)) continue;
    const separator = SEPARATING_ELEMENTS.has(node.nodeName.toLowerCase()) ? ' ' : '';
    if (separator) pending.push(separator);
    for (let index = node.childNodes.length - 1; index >= 0; index -= 1) pending.push(node.childNodes[index]!);
    if (separator) parts.push(separator);
  }
  return parts.join('');
}

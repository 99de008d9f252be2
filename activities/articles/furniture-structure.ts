import { descendants, type DomElement, type DomNode, isElement, TEXT } from './dom.js';
import { normalizeSpace, textWeight } from './text-blocks.js';

/**
 * Page furniture found by its place in the page rather than by its own class: boxes around a login or
 * sign-up control (paywall and registration prompts), captions that repeat their picture's alt text,
 * the notice just before a comments section, and schema.org metadata (author, dates) marked with
 * itemprop. Each rule names structure, never a site.
 */

/** Class and id words of account controls: a login link, a sign-up button, a subscribe box. */
const ACCOUNT_CONTROL =
  /(?:^|[\s_-])(?:login|log-in|signin|sign-in|signup|sign-up|subscribe|register|registration)(?:$|[\s_-])/i;
/** Class and id words of a comments section. */
const COMMENTS = /(?:^|[\s_-])(?:comments?|disqus|respond)(?:$|[\s_-])/i;
/** schema.org properties that describe the article, not tell it. */
const METADATA_PROPS = new Set(['author', 'creator', 'datePublished', 'dateModified', 'dateCreated', 'publisher']);
/** A prompt box holds a sentence or two and its buttons: more text than this is an article around a control. */
const PROMPT_MAX_WEIGHT = 400;
/** A notice before comments is a line or two; more is the article's end, not a notice. */
const NOTICE_MAX_WEIGHT = 500;
/** Alt texts shorter than this ("photo", a name) match too much to mark a caption. */
const MIN_ALT_CHARS = 20;
/** How far up from a picture its caption may sit: the figure, its wrapper, the wrapper's wrapper. */
const CAPTION_LEVELS = 3;
/** Text containers that are prose wherever they are. */
const PROSE_TAGS = new Set(['P', 'LI', 'BLOCKQUOTE', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6']);

/** An element with its class and id words (see classWords). */
export interface NamedElement {
  element: DomElement;
  name: string;
}

/**
 * An element's class and id as words, camel case split (`relatedLinks` → `related-links`) so such names
 * match like hyphenated ones; '' for none. Read once per element per pass: on linkedom reading an
 * attribute scans the element's attribute list, and a page has thousands of elements.
 */
export function classWords(element: DomElement): string {
  const name = `${typeof element.className === 'string' ? element.className : ''} ${element.id ?? ''}`.trim();
  return name && name.replace(/([a-z])([A-Z])/g, '$1-$2');
}
const parentElement = (element: DomElement): DomElement | null => {
  const parent = element.parentNode;
  return parent && isElement(parent) ? parent : null;
};
const NOT_TEXT = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE']);

/**
 * The text a reader sees under element, scripts and styles left out, read only until it passes `limit`
 * characters (then null): the rules ask "is this box small?", and the answer for a page-sized box, or
 * one holding a 100 KB script, must not cost a walk of all of it for each of its many login links.
 */
function textUpTo(element: DomElement, limit: number): string | null {
  const parts: string[] = [];
  let length = 0;
  const stack: DomNode[] = [element];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.nodeType === TEXT) {
      const text = node.textContent ?? '';
      parts.push(text);
      length += text.trim().length;
      if (length > 2 * limit) return null;
    } else if (isElement(node) && !NOT_TEXT.has(node.nodeName)) {
      // One read of childNodes: linkedom builds the list anew on every read.
      const children = node.childNodes;
      for (let index = children.length - 1; index >= 0; index -= 1) stack.push(children[index]!);
    }
  }
  const text = normalizeSpace(parts.join(' '));
  return textWeight(text) > limit ? null : text;
}
const smallerThan = (element: DomElement, limit: number) => textUpTo(element, limit) !== null;
const isInside = (element: DomElement, root: DomElement) => {
  for (let at = parentElement(element); at; at = parentElement(at)) if (at === root) return true;
  return false;
};

/**
 * The box around each account control: the control's highest ancestor (up to three levels, below
 * root) that still holds no more than a prompt's worth of text. "Subscribe to read on", "Log in".
 */
function accountPrompts(root: DomElement, named: readonly NamedElement[]): DomElement[] {
  const found: DomElement[] = [];
  for (const { element, name } of named) {
    // A link inside a sentence ("residents can register to vote") is the sentence's, not a prompt.
    if (!ACCOUNT_CONTROL.test(name) || element.closest('p, blockquote')) continue;
    let box = element;
    for (let level = 0, parent = parentElement(element); level < 3 && parent && parent !== root; level += 1) {
      if (!smallerThan(parent, PROMPT_MAX_WEIGHT)) break;
      box = parent;
      parent = parentElement(parent);
    }
    if (smallerThan(box, PROMPT_MAX_WEIGHT)) found.push(box);
  }
  return found;
}

/** Elements near a picture whose whole text is the picture's alt text: a caption saying it again. */
function altCaptions(root: DomElement): DomElement[] {
  const found: DomElement[] = [];
  for (const image of root.querySelectorAll('img')) {
    const alt = normalizeSpace(image.getAttribute('alt') ?? '');
    if (alt.length < MIN_ALT_CHARS) continue;
    let scope = parentElement(image);
    for (let level = 0; level < CAPTION_LEVELS && scope && scope !== root; level += 1) {
      // Only a picture's neighbourhood: a scope holding much more than the caption is the article.
      if (!smallerThan(scope, 3 * alt.length + 300)) break;
      const caption = Array.from(descendants(scope)).find(
        (candidate) => candidate !== image && textUpTo(candidate, textWeight(alt)) === alt,
      );
      if (caption) {
        found.push(caption);
        break;
      }
      scope = parentElement(scope);
    }
  }
  return found;
}

/** The small box just before a comments section: its rules, "comments are moderated", "the views below...". */
function commentNotices(named: readonly NamedElement[]): DomElement[] {
  const found: DomElement[] = [];
  for (const { element, name } of named) {
    // Inside a sentence the element before is the sentence's own words or link.
    if (!COMMENTS.test(name) || element.closest('p, blockquote')) continue;
    const notice = element.previousElementSibling;
    if (!notice || PROSE_TAGS.has(notice.nodeName) || COMMENTS.test(classWords(notice))) continue;
    const text = textUpTo(notice, NOTICE_MAX_WEIGHT);
    if (text) found.push(notice);
  }
  return found;
}

/** Author, publisher and dates marked up for search engines: metadata, unless a sentence of prose names them. */
function metadataProperties(root: DomElement): DomElement[] {
  const found: DomElement[] = [];
  for (const element of root.querySelectorAll('[itemprop]')) {
    const props = (element.getAttribute('itemprop') ?? '').split(/\s+/);
    if (!props.some((prop) => METADATA_PROPS.has(prop))) continue;
    if (parentElement(element)?.closest('p, li, blockquote')) continue;
    found.push(element);
  }
  return found;
}

/**
 * Furniture under root found by structure (see the rules above), in no particular order, root never
 * among it. `named`: root's descendants that have a class or id, with their words.
 */
export function structuralFurniture(root: DomElement, named: readonly NamedElement[]): DomElement[] {
  const found = [
    ...accountPrompts(root, named),
    ...altCaptions(root),
    ...commentNotices(named),
    ...metadataProperties(root),
  ];
  return [...new Set(found)].filter((element) => element !== root && isInside(element, root));
}

import { descendants, type DomElement, isElement } from './dom.js';
import { normalizeSpace, textBlocks, textWeight } from './text-blocks.js';

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

const words = (name: string) => name.replace(/([a-z])([A-Z])/g, '$1-$2');
const nameOf = (element: DomElement) =>
  words(`${typeof element.className === 'string' ? element.className : ''} ${element.id ?? ''}`);
const parentElement = (element: DomElement): DomElement | null => {
  const parent = element.parentNode;
  return parent && isElement(parent) ? parent : null;
};
/** The text a reader sees (scripts and styles left out), weighted as textWeight does. */
const visibleWeight = (element: DomElement) =>
  textBlocks(element).reduce((sum, block) => sum + textWeight(block.text), 0);
const isInside = (element: DomElement, root: DomElement) => {
  for (let at = parentElement(element); at; at = parentElement(at)) if (at === root) return true;
  return false;
};

/**
 * The box around each account control: the control's highest ancestor (up to three levels, below
 * root) that still holds no more than a prompt's worth of text. "Subscribe to read on", "Log in".
 */
function accountPrompts(root: DomElement): DomElement[] {
  const found: DomElement[] = [];
  for (const element of descendants(root)) {
    if (!ACCOUNT_CONTROL.test(nameOf(element))) continue;
    let box = element;
    for (let level = 0, parent = parentElement(element); level < 3 && parent && parent !== root; level += 1) {
      // textContent first: cheap to bound, and it can only overcount (scripts), never miss text.
      if ((parent.textContent ?? '').length > 20 * PROMPT_MAX_WEIGHT || visibleWeight(parent) > PROMPT_MAX_WEIGHT)
        break;
      box = parent;
      parent = parentElement(parent);
    }
    if (visibleWeight(box) <= PROMPT_MAX_WEIGHT) found.push(box);
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
      if ((scope.textContent ?? '').length > 3 * alt.length + 300) break;
      const caption = Array.from(scope.querySelectorAll('*')).find(
        (candidate) => candidate !== image && normalizeSpace(candidate.textContent ?? '') === alt,
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
function commentNotices(root: DomElement): DomElement[] {
  const found: DomElement[] = [];
  for (const element of descendants(root)) {
    if (!COMMENTS.test(nameOf(element))) continue;
    const notice = element.previousElementSibling;
    if (!notice || PROSE_TAGS.has(notice.nodeName) || COMMENTS.test(nameOf(notice))) continue;
    const weight = visibleWeight(notice);
    if (weight > 0 && weight <= NOTICE_MAX_WEIGHT) found.push(notice);
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

/** Furniture under root found by structure (see the rules above), in no particular order, root never among it. */
export function structuralFurniture(root: DomElement): DomElement[] {
  const found = [...accountPrompts(root), ...altCaptions(root), ...commentNotices(root), ...metadataProperties(root)];
  return [...new Set(found)].filter((element) => element !== root && isInside(element, root));
}

import { descendants, type DomElement } from './dom.js';
import { classWords, type NamedElement, structuralFurniture } from './furniture-structure.js';
import type { TextBlock } from './text-blocks.js';

/**
 * Class and id words that mark page furniture on news and blog templates (WordPress, Arc, Drupal,
 * Svbtle, newsroom CMSs): share bars, related and recommended links, newsletter boxes, comments and
 * their counts, captions and photo credits, bylines and datelines, tag lists, ads. Matched as whole
 * words of a class or id (`post-share-bar`, `relatedLinks`), never as substrings: `shared` or
 * `adverb` are not furniture.
 */
const FURNITURE_WORDS = [
  'share',
  'sharing',
  'sharebar',
  'social',
  'sociable',
  'addthis',
  'related',
  'recirc',
  'recirculation',
  'recommended',
  'recommendations',
  'read-more',
  'more-stories',
  'more-from',
  'also-read',
  'see-also',
  'newsletter',
  'subscribe',
  'subscription',
  'signup',
  'sign-up',
  'promo',
  'promotion',
  'advert',
  'advertisement',
  'ad',
  'ads',
  'adsense',
  'sponsor',
  'sponsored',
  'outbrain',
  'taboola',
  'comment',
  'comments',
  'disqus',
  'kudos',
  'caption',
  'credit',
  'credits',
  'byline',
  'dateline',
  'timestamp',
  'tags',
  'tag-list',
  'breadcrumb',
  'breadcrumbs',
  'toolbar',
  'popular',
  'trending',
  'most-read',
  'mostread',
  'most-popular',
  'sidebar',
  'cookie',
  'consent',
  'paywall',
  'sr-only',
  'visually-hidden',
  'screen-reader-text',
  'author',
  'authors',
  'author-bio',
  'post-meta',
  'entry-meta',
  'article-meta',
  'footer',
  'nav',
  'navigation',
  'menu',
  'skip-link',
  'pagination',
  'rating',
];
const FURNITURE = new RegExp(`(?:^|[\\s_-])(?:${FURNITURE_WORDS.join('|')})(?:$|[\\s_-])`, 'i');
// Elements that hold no article text on any template.
const FURNITURE_TAGS = new Set(['NAV', 'ASIDE', 'FOOTER', 'FORM', 'FIGCAPTION', 'BUTTON', 'DIALOG', 'MENU']);
const FURNITURE_ROLES = new Set(['navigation', 'complementary', 'contentinfo', 'banner', 'dialog', 'alert', 'menu']);
/**
 * An element holding this share of the text or more is the article's container, whatever its class
 * says (`<div class="story-body sharing-enabled">`): only smaller ones are removed.
 */
const CONTAINER_SHARE = 0.25;

/** `name`: the element's class and id words (classWords), when the caller has read them already. */
export function looksLikeFurniture(element: DomElement, name = classWords(element)): boolean {
  if (FURNITURE_TAGS.has(element.nodeName)) return true;
  const role = element.getAttribute('role');
  if (role && FURNITURE_ROLES.has(role)) return true;
  return name !== '' && FURNITURE.test(name);
}

const paragraphChars = (element: DomElement) => {
  let chars = 0;
  for (const paragraph of element.querySelectorAll('p')) chars += (paragraph.textContent ?? '').trim().length;
  return chars;
};

/**
 * Removes page furniture under root: elements that look like furniture unless they hold a quarter of
 * root's text or of its paragraph text (on a page with a long menu, footer and sidebar the article
 * itself may be a fifth of the text, but it has most of the paragraphs). Returns how many were removed.
 */
export function removeFurniture(root: DomElement): number {
  const total = (root.textContent ?? '').replace(/\s+/g, '').length;
  const totalParagraphs = paragraphChars(root);
  const doomed: DomElement[] = [];
  const candidates = new Set<DomElement>();
  const named: NamedElement[] = [];
  for (const element of descendants(root)) {
    const name = classWords(element);
    if (name) named.push({ element, name });
    if (looksLikeFurniture(element, name)) candidates.add(element);
  }
  for (const element of structuralFurniture(root, named)) candidates.add(element);
  for (const element of candidates) {
    const own = (element.textContent ?? '').replace(/\s+/g, '').length;
    if (own >= CONTAINER_SHARE * total) continue;
    if (own > 0 && totalParagraphs > 0 && paragraphChars(element) >= CONTAINER_SHARE * totalParagraphs) continue;
    doomed.push(element);
  }
  for (const element of doomed) element.remove();
  return doomed.length;
}

// Whole short blocks that are labels, not prose, in the languages of the sites NewLoom reads most.
const LABEL =
  /^(advertisement|advertising|anzeige|publicidad|publicité|pubblicità|reklama|реклама|image caption|hide caption|caption|photo|image|video|share( this)?( article| story| page)?|read more|read next|related( articles| stories| content| coverage)?|see also|more on this|sign up|subscribe|follow us|click here|printer-friendly( version)?|print|e-?mail|comments?|\d+ comments?|loading|play video|watch|listen|story highlights|top stories|most read|editor'?s picks?)\b[\s:.!…»›-]*$/i;
// A copyright line: "© 2013 Cable News Network", "All rights reserved", in a short block.
const COPYRIGHT =
  /©|\(c\) \d{4}|\ball rights reserved\b|\btodos los derechos reservados\b|\btous droits réservés\b|\balle rechte vorbehalten\b/i;
const SENTENCE_END = /[.!?。！？…"'”’»)\]:]$/;
const SHORT_BLOCK = 40;
/** A line this short that carries a year and a clock time or a numeric date is a dateline, not prose. */
const DATELINE_MAX = 100;
const YEAR = /(?:^|\D)(?:19|20)\d{2}(?:\D|$)/;
const CLOCK_OR_NUMERIC_DATE = /\d{1,2}:\d{2}|\d{1,4}[./-]\d{1,2}[./-]\d{1,4}/;
const ENDS_A_SENTENCE = /[.!?。！？]["'”’»]?$/;
/** A short line ending in a colon at the article's end introduces what the page no longer holds (links, photos, handles). */
const LEAD_IN_MAX = 100;
/** A heading this short just before a link list that was dropped is that list's title ("Related stories"). */
const LIST_TITLE_MAX = 60;

const isLinkList = (block: TextBlock) => {
  const linkShare = block.linkChars / block.text.length;
  return linkShare > 0.5 && (block.text.length < 200 || linkShare > 0.8);
};
const isDateline = (text: string) =>
  text.length < DATELINE_MAX && !ENDS_A_SENTENCE.test(text) && YEAR.test(text) && CLOCK_OR_NUMERIC_DATE.test(text);
const sameText = (a: string, b: string) => a.localeCompare(b, undefined, { sensitivity: 'base' }) === 0;

/**
 * Drops blocks that are not prose: without letters (counters, "01:40"), mostly links (related
 * headlines, tag lists) and the short title just before such a list, repeated short labels ("Image
 * caption" under every photo), known labels ("Advertisement", "Read more"), copyright lines, and at
 * either end of the article, where templates put bylines, datelines and share bars: short fragments
 * (dates, "Menu", author names), datelines, the headline said again (`headlines`: the page's own, stored
 * apart from the text) at the start, and a lead-in ending in a colon at the end.
 */
export function dropFurnitureBlocks(blocks: TextBlock[], headlines: readonly string[] = []): TextBlock[] {
  const seen = new Map<string, number>();
  for (const block of blocks) seen.set(block.text, (seen.get(block.text) ?? 0) + 1);
  const written = new Set<string>();
  const kept = blocks.filter((block, index) => {
    const { text } = block;
    if (!/\p{L}/u.test(text)) return false;
    if (isLinkList(block)) return false;
    const next = blocks[index + 1];
    if (
      next &&
      isLinkList(next) &&
      text.length < LIST_TITLE_MAX &&
      block.linkChars === 0 &&
      !ENDS_A_SENTENCE.test(text)
    )
      return false;
    if (text.length < 80 && (seen.get(text) ?? 0) > 1) return false;
    if (text.length < 60 && LABEL.test(text)) return false;
    if (text.length < 200 && COPYRIGHT.test(text)) return false;
    if (written.has(text)) return false;
    written.add(text);
    return true;
  });
  // A list item stays unless it is a link: a list of short facts at the end of an article is article.
  const fragment = (block: TextBlock) =>
    (block.text.length < SHORT_BLOCK &&
      !SENTENCE_END.test(block.text) &&
      (!block.listItem || block.linkChars > block.text.length / 2)) ||
    isDateline(block.text);
  const headline = (block: TextBlock) => headlines.some((title) => title && sameText(block.text, title));
  const leadIn = (block: TextBlock) => block.text.length < LEAD_IN_MAX && block.text.endsWith(':');
  let start = 0;
  let end = kept.length;
  for (
    let dropped = 0;
    dropped < 5 && start < end - 1 && (fragment(kept[start]!) || headline(kept[start]!));
    dropped += 1
  )
    start += 1;
  for (
    let dropped = 0;
    dropped < 5 && end - 1 > start && (fragment(kept[end - 1]!) || leadIn(kept[end - 1]!));
    dropped += 1
  )
    end -= 1;
  return kept.slice(start, end);
}

import { decodeHTML } from 'entities';

/**
 * The text of an element as feedsmith reads it from the element's raw content, so that the lean RSS
 * path (plain-rss.ts) hands entriesToItems the very strings the feedsmith path does: comments dropped
 * (all of them, even inside CDATA; an unclosed one leaves the text as it was), CDATA sections kept
 * verbatim, everything outside them HTML-entity-decoded, the result trimmed, and nothing at all
 * (null) for an empty one. Each step is one indexOf walk, linear in the text.
 */
export function readFeedText(raw: string): string | null {
  if (raw === '') return null;
  return decodeOutsideCdata(dropComments(raw)).trim() || null;
}

const COMMENT_START = '<!--';
const COMMENT_END = '-->';
const CDATA_START = '<![CDATA[';
const CDATA_END = ']]>';

function dropComments(text: string): string {
  let start = text.indexOf(COMMENT_START);
  if (start === -1) return text;
  const kept: string[] = [];
  let copiedUpTo = 0;
  while (start !== -1) {
    kept.push(text.slice(copiedUpTo, start));
    // Searched from after the opening marker, so `<!-->` does not close itself.
    const end = text.indexOf(COMMENT_END, start + COMMENT_START.length);
    if (end === -1) return text;
    copiedUpTo = end + COMMENT_END.length;
    start = text.indexOf(COMMENT_START, copiedUpTo);
  }
  kept.push(text.slice(copiedUpTo));
  return kept.join('');
}

/** Entities are decoded only where an `&` is later followed by a `;`, as feedsmith checks. */
function decodeEntities(text: string): string {
  const ampersand = text.indexOf('&');
  return ampersand !== -1 && text.indexOf(';', ampersand) !== -1 ? decodeHTML(text) : text;
}

function decodeOutsideCdata(text: string): string {
  let start = text.indexOf(CDATA_START);
  if (start === -1) return decodeEntities(text);
  const parts: string[] = [];
  let copiedUpTo = 0;
  while (start !== -1) {
    parts.push(decodeEntities(text.slice(copiedUpTo, start)));
    const end = text.indexOf(CDATA_END, start + CDATA_START.length);
    // An unclosed section: the whole text is read as if it had none.
    if (end === -1) return decodeEntities(text);
    parts.push(text.slice(start + CDATA_START.length, end));
    copiedUpTo = end + CDATA_END.length;
    start = text.indexOf(CDATA_START, copiedUpTo);
  }
  parts.push(decodeEntities(text.slice(copiedUpTo)));
  return parts.join('');
}

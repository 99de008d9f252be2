import { decodeHtmlEntities } from '../text/decode-html-entities.js';
import { nextOccurrence } from '../text/next-occurrence.js';
import { LONGEST_SEPARATING_NAME, SEPARATING_ELEMENTS } from '../text/separating-elements.js';

const isLetter = (code: number) => (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
const isWordCharacter = (code: number) => isLetter(code) || (code >= 48 && code <= 57) || code === 95;
const SLASH = 47;

/** Whether the tag whose name starts at `from` is one of SEPARATING_ELEMENTS (`<br>`, `<p>`...): a space, not nothing. */
function separatesWords(html: string, from: number): boolean {
  let end = from;
  while (end - from <= LONGEST_SEPARATING_NAME && isWordCharacter(html.charCodeAt(end))) end += 1;
  return end - from <= LONGEST_SEPARATING_NAME && SEPARATING_ELEMENTS.has(html.slice(from, end).toLowerCase());
}

/** The name of the raw-text element (`script`, `style`) whose start tag begins at `at`, else null. */
function rawTextElementAt(html: string, at: number): 'script' | 'style' | null {
  for (const name of ['script', 'style'] as const) {
    const end = at + 1 + name.length;
    if (html.slice(at + 1, end).toLowerCase() === name && !isWordCharacter(html.charCodeAt(end))) return name;
  }
  return null;
}

/**
 * Every run of whitespace as one space. Single spaces are left alone rather than replaced by
 * themselves: a 10 MiB text of short words is a million matches, and replacing them all took seconds.
 */
function collapseWhitespace(text: string): string {
  return text.replace(/\s{2,}|[^\S ]/g, ' ');
}

/**
 * Feed titles and summaries often carry HTML (`<p>`, `<b>`, `&amp;`): items keep plain text. Scripts and
 * styles go with their content; block tags and `<br>` become spaces, inline tags and comments nothing.
 *
 * One pass over the text, linear in its length whatever it holds. A tag without its `>` stays as text,
 * as does a `<script>` without its `</script>` (only the start tag goes) and a `<!--` without `-->`.
 */
export function htmlToText(html: string): string {
  // Most feed titles hold no markup at all: the scanners below would cost more than the text.
  if (!html.includes('<')) return collapseWhitespace(decodeHtmlEntities(html)).trim();
  const nextTagEnd = nextOccurrence(html, />/);
  const nextEnd = { script: nextOccurrence(html, /<\/script>/), style: nextOccurrence(html, /<\/style>/) };
  const nextCommentEnd = nextOccurrence(html, /-->/);
  const parts: string[] = [];
  let copiedUpTo = 0;
  let at = html.indexOf('<');
  while (at !== -1) {
    let resumeAt = -1;
    let separator = '';
    const next = html.charCodeAt(at + 1);
    if (isLetter(next)) {
      const tagEnd = nextTagEnd(at);
      const rawText = tagEnd === -1 ? null : rawTextElementAt(html, at);
      const closing = rawText ? nextEnd[rawText](tagEnd + 1) : -1;
      if (closing !== -1) resumeAt = closing + rawText!.length + 3;
      else if (tagEnd !== -1) resumeAt = tagEnd + 1;
      separator = rawText || separatesWords(html, at + 1) ? ' ' : '';
    } else if (next === SLASH && isLetter(html.charCodeAt(at + 2))) {
      const tagEnd = nextTagEnd(at);
      if (tagEnd !== -1) resumeAt = tagEnd + 1;
      separator = separatesWords(html, at + 2) ? ' ' : '';
    } else if (html.startsWith('<!--', at)) {
      const commentEnd = nextCommentEnd(at + 4);
      if (commentEnd !== -1) resumeAt = commentEnd + 3;
    }
    if (resumeAt === -1) {
      at = html.indexOf('<', at + 1);
      continue;
    }
    parts.push(html.slice(copiedUpTo, at), separator);
    copiedUpTo = resumeAt;
    at = html.indexOf('<', resumeAt);
  }
  parts.push(html.slice(copiedUpTo));
  return collapseWhitespace(decodeHtmlEntities(parts.join(''))).trim();
}

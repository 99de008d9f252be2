import { decodeHtmlEntities } from '../text/decode-html-entities.js';
import { nextOccurrence } from '../text/next-occurrence.js';

const isLetter = (code: number) => (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
const isWordCharacter = (code: number) => isLetter(code) || (code >= 48 && code <= 57) || code === 95;
const SLASH = 47;

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
 * Feed titles and summaries often carry HTML (`<p>`, `<b>`, `&amp;`): items keep plain text. Scripts and styles go with their content; block tags become spaces.
 *
 * One pass over the text, linear in its length whatever it holds. A tag without its `>` stays as text,
 * as does a `<script>` without its `</script>` (only the start tag goes) and a `<!--` without `-->`.
 */
export function htmlToText(html: string): string {
  const nextTagEnd = nextOccurrence(html, />/);
  const nextEnd = { script: nextOccurrence(html, /<\/script>/), style: nextOccurrence(html, /<\/style>/) };
  const nextCommentEnd = nextOccurrence(html, /-->/);
  const parts: string[] = [];
  let copiedUpTo = 0;
  let at = html.indexOf('<');
  while (at !== -1) {
    let resumeAt = -1;
    const next = html.charCodeAt(at + 1);
    if (isLetter(next)) {
      const tagEnd = nextTagEnd(at);
      const rawText = tagEnd === -1 ? null : rawTextElementAt(html, at);
      const closing = rawText ? nextEnd[rawText](tagEnd + 1) : -1;
      if (closing !== -1) resumeAt = closing + rawText!.length + 3;
      else if (tagEnd !== -1) resumeAt = tagEnd + 1;
    } else if (next === SLASH && isLetter(html.charCodeAt(at + 2))) {
      const tagEnd = nextTagEnd(at);
      if (tagEnd !== -1) resumeAt = tagEnd + 1;
    } else if (html.startsWith('<!--', at)) {
      const commentEnd = nextCommentEnd(at + 4);
      if (commentEnd !== -1) resumeAt = commentEnd + 3;
    }
    if (resumeAt === -1) {
      at = html.indexOf('<', at + 1);
      continue;
    }
    parts.push(html.slice(copiedUpTo, at), ' ');
    copiedUpTo = resumeAt;
    at = html.indexOf('<', resumeAt);
  }
  parts.push(html.slice(copiedUpTo));
  return collapseWhitespace(decodeHtmlEntities(parts.join(''))).trim();
}

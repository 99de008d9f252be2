/**
 * One linear pass over an XML document's tags that finds what keeps it from being well-formed the way
 * feeds and sitemaps break in the wild (cut off mid-transfer, a stray or mismatched end tag, a `<` in
 * text) and, when asked, writes the smallest repair: what feedparser calls "bozo" and reads anyway.
 *
 * It reads tags only, never builds a tree: comments, CDATA, processing instructions and the DOCTYPE are
 * skipped whole, text is skipped with indexOf. Each element is pushed and popped once, and open
 * element names are counted in a map, so a mismatched end tag costs the same as a matching one: the
 * whole pass is linear in the document's length whatever it holds. Nesting beyond `maxDepth` stops it.
 */

/** What was wrong, in words a run's warning can carry. */
export type XmlFlaw =
  | 'cut off before its end'
  | 'elements left open'
  | 'stray end tags'
  | 'mismatched end tags'
  | 'a bare < in text'
  | 'a namespace prefix on its root';

export interface XmlBalance {
  /** Every kind of flaw found, in the order first met; empty for a document whose tags balance. */
  flaws: XmlFlaw[];
  /** Nesting went past the limit: the document is refused, not repaired. */
  tooDeep: boolean;
  /** The document's local root name (`rss`, `feed`, `urlset`), prefix dropped; null when it has none. */
  root: string | null;
}

export interface XmlRepair extends XmlBalance {
  /** The document with its flaws mended; the input itself when there were none. */
  xml: string;
}

export interface BalanceOptions {
  maxDepth: number;
  /**
   * Also write every element of the root's prefix without it (`<r:rss>`, `<r:item>` → `<rss>`, `<item>`),
   * for parsers that know a format only by its plain element names.
   */
  dropRootPrefix?: boolean;
}

interface Edit {
  at: number;
  remove: number;
  insert: string;
}

const GT = 62;
const SLASH = 47;
const BANG = 33;
const QUESTION = 63;
const QUOTE = 34;
const APOSTROPHE = 39;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;

const isNameStart = (code: number) =>
  (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code === 58 || code > 127;
const isNameEnd = (code: number) =>
  code === 32 || code === 9 || code === 10 || code === 13 || code === GT || code === SLASH || Number.isNaN(code);

/** Where the quote-aware tag starting at `from` ends (its `>`), or -1 when the document ends first. */
function tagEnd(xml: string, from: number): number {
  for (let at = from; at < xml.length; at += 1) {
    const code = xml.charCodeAt(at);
    if (code === GT) return at;
    if (code === QUOTE || code === APOSTROPHE) {
      const close = xml.indexOf(code === QUOTE ? '"' : "'", at + 1);
      if (close === -1) return -1;
      at = close;
    }
  }
  return -1;
}

/** Where the first `marker` at or after `from` ends (its last character), or -1. */
function lastCharacterOf(xml: string, marker: string, from: number): number {
  const found = xml.indexOf(marker, from);
  return found === -1 ? -1 : found + marker.length - 1;
}

/** Where a `<!DOCTYPE …>` (with an internal subset in brackets) ends, or -1. */
function declarationEnd(xml: string, from: number): number {
  let depth = 0;
  for (let at = from; at < xml.length; at += 1) {
    const code = xml.charCodeAt(at);
    if (code === OPEN_BRACKET) depth += 1;
    else if (code === CLOSE_BRACKET) depth = Math.max(0, depth - 1);
    else if (code === GT && depth === 0) return at;
    else if (code === QUOTE || code === APOSTROPHE) {
      const close = xml.indexOf(code === QUOTE ? '"' : "'", at + 1);
      if (close === -1) return -1;
      at = close;
    }
  }
  return -1;
}

function scan(xml: string, options: BalanceOptions, edits: Edit[] | null): XmlBalance {
  const flaws = new Set<XmlFlaw>();
  const stack: string[] = [];
  const open = new Map<string, number>();
  let root: string | null = null;
  let rootPrefix: string | null = null;
  const push = (name: string) => {
    stack.push(name);
    open.set(name, (open.get(name) ?? 0) + 1);
  };
  const pop = (): string => {
    const name = stack.pop()!;
    open.set(name, open.get(name)! - 1);
    return name;
  };
  const renameIfPrefixed = (nameAt: number, name: string) => {
    if (edits && rootPrefix && name.startsWith(rootPrefix))
      edits.push({ at: nameAt, remove: rootPrefix.length, insert: '' });
  };
  const written = (name: string) => (rootPrefix && name.startsWith(rootPrefix) ? name.slice(rootPrefix.length) : name);

  let cutAt = -1;
  let at = xml.indexOf('<');
  while (at !== -1) {
    const next = xml.charCodeAt(at + 1);
    let end: number;
    if (at + 1 >= xml.length) {
      end = -1;
    } else if (next === BANG) {
      if (xml.startsWith('<!--', at)) end = lastCharacterOf(xml, '-->', at + 4);
      else if (xml.startsWith('<![CDATA[', at)) end = lastCharacterOf(xml, ']]>', at + 9);
      else end = declarationEnd(xml, at + 2);
    } else if (next === QUESTION) {
      end = lastCharacterOf(xml, '?>', at + 2);
    } else if (next === SLASH) {
      end = xml.indexOf('>', at + 2);
      if (end !== -1) {
        const name = xml.slice(at + 2, end).trim();
        if (stack.at(-1) === name) {
          pop();
          renameIfPrefixed(at + 2, name);
        } else if ((open.get(name) ?? 0) > 0) {
          flaws.add('mismatched end tags');
          // Close what was left open inside it, then the element itself, as feedparser's HTML-ish reading does.
          let closing = '';
          while (stack.at(-1) !== name) closing += `</${written(pop())}>`;
          pop();
          edits?.push({ at, remove: 0, insert: closing });
          renameIfPrefixed(at + 2, name);
        } else {
          flaws.add('stray end tags');
          edits?.push({ at, remove: end + 1 - at, insert: '' });
        }
      }
    } else if (isNameStart(next)) {
      let nameEnd = at + 1;
      while (!isNameEnd(xml.charCodeAt(nameEnd))) nameEnd += 1;
      const name = xml.slice(at + 1, nameEnd);
      end = tagEnd(xml, nameEnd);
      if (end !== -1) {
        if (root === null) {
          const colon = name.indexOf(':');
          root = colon === -1 ? name : name.slice(colon + 1);
          if (colon !== -1 && options.dropRootPrefix) {
            rootPrefix = name.slice(0, colon + 1);
            flaws.add('a namespace prefix on its root');
          }
        }
        renameIfPrefixed(at + 1, name);
        if (xml.charCodeAt(end - 1) !== SLASH) {
          push(name);
          if (stack.length > options.maxDepth) return { flaws: [...flaws], tooDeep: true, root };
        }
      }
    } else {
      flaws.add('a bare < in text');
      edits?.push({ at, remove: 1, insert: '&lt;' });
      at = xml.indexOf('<', at + 1);
      continue;
    }
    if (end === -1) {
      cutAt = at;
      break;
    }
    at = xml.indexOf('<', end + 1);
  }
  if (cutAt !== -1) {
    flaws.add('cut off before its end');
    edits?.push({ at: cutAt, remove: xml.length - cutAt, insert: '' });
  }
  if (stack.length > 0) {
    if (cutAt === -1) flaws.add('elements left open');
    let closing = '';
    while (stack.length > 0) closing += `</${written(pop())}>`;
    edits?.push({ at: xml.length, remove: 0, insert: closing });
  }
  return { flaws: [...flaws], tooDeep: false, root };
}

/** What keeps `xml` from being well-formed, without changing it. */
export function checkXmlBalance(xml: string, options: BalanceOptions): XmlBalance {
  return scan(xml, options, null);
}

/** `xml` with its flaws mended: cut-off tail dropped, open elements closed, stray end tags removed. */
export function repairXml(xml: string, options: BalanceOptions): XmlRepair {
  const edits: Edit[] = [];
  const balance = scan(xml, options, edits);
  if (balance.tooDeep || edits.length === 0) return { ...balance, xml };
  // Edits arrive in document order (the closing ones at the end), so one pass applies them all.
  edits.sort((a, b) => a.at - b.at);
  const parts: string[] = [];
  let copiedUpTo = 0;
  for (const edit of edits) {
    if (edit.at < copiedUpTo) continue;
    parts.push(xml.slice(copiedUpTo, edit.at), edit.insert);
    copiedUpTo = edit.at + edit.remove;
  }
  parts.push(xml.slice(copiedUpTo));
  return { ...balance, xml: parts.join('') };
}

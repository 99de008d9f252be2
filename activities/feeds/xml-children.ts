/**
 * The direct child elements of an XML fragment whose tags are known to balance (checkXmlBalance found
 * no flaw), each with its raw content: what fast-xml-parser hands feedsmith for an element it reads as
 * a "stop node". The end of a child is found the way that parser finds it (the next end tag of the same
 * name as written, counting same-name elements opened inside; comments, CDATA and processing
 * instructions skipped whole; quotes respected inside tags), so the raw content is the same string.
 *
 * Anything this reader does not expect of a plain feed (a name outside ASCII letters, digits and
 * `_.:-`, a DOCTYPE or other declaration, a `<![` that is not CDATA, an end tag with no element open)
 * makes it answer null, and the caller reads the document the general way. Every character is visited
 * a bounded number of times: linear in the fragment's length.
 */
export interface XmlChild {
  /** The element's name as written (`pubDate`, `dc:creator`). */
  name: string;
  /** What follows the name inside the start tag, up to `>` (a self-closing `/` included). */
  attributes: string;
  /** Everything between the start tag and its end tag, as written; '' for a self-closing element. */
  content: string;
}

const PLAIN_NAME = /^[A-Za-z_][\w.:-]*$/;
const GT = 62;
const SLASH = 47;
const QUOTE = 34;
const APOSTROPHE = 39;

/** Where the tag whose `<` is at `from` ends (its `>`), quotes respected; -1 when it never does. */
function tagEnd(xml: string, from: number): number {
  for (let at = from + 1; at < xml.length; at += 1) {
    const code = xml.charCodeAt(at);
    if (code === GT) return at;
    if (code === QUOTE || code === APOSTROPHE) {
      at = xml.indexOf(code === QUOTE ? '"' : "'", at + 1);
      if (at === -1) return -1;
    }
  }
  return -1;
}

/**
 * Where markup that is not an element (`<!--…-->`, `<![CDATA[…]]>`, `<?…?>`) starting at `at` ends (its
 * last character); undefined when the `<` at `at` opens an element or end tag; -1 when it is unclosed
 * or a kind this reader refuses.
 */
function skippedMarkupEnd(xml: string, at: number): number | undefined {
  const next = xml.charCodeAt(at + 1);
  if (next === 33 /* ! */) {
    if (xml.startsWith('<!--', at)) return endOf(xml, '-->', at + 4);
    if (xml.startsWith('<![CDATA[', at)) return endOf(xml, ']]>', at + 9);
    return -1;
  }
  if (next === 63 /* ? */) return endOf(xml, '?>', at + 2);
  return undefined;
}

function endOf(xml: string, marker: string, from: number): number {
  const found = xml.indexOf(marker, from);
  return found === -1 ? -1 : found + marker.length - 1;
}

/** Whether the character after a tag name in `<name…` lets the name end there, as the parser splits it. */
function endsName(code: number): boolean {
  return code === GT || code === 32 || code === 9 || code === 10 || code === 13;
}

/**
 * Whether the parser, which names a tag by what comes before the first white space (`\s`, Unicode's
 * included), ends the name before this character.
 */
function endsNameAsParser(code: number): boolean {
  if (code === GT || endsName(code)) return true;
  return (code === 11 || code === 12 || code > 127) && /\s/.test(String.fromCharCode(code));
}

/**
 * Where the end tag `</name>` closing the element whose start tag ended at `from - 1` begins, and
 * where it ends; null when there is none.
 */
function closingTag(xml: string, name: string, from: number): { start: number; end: number } | null {
  let depth = 1;
  let at = xml.indexOf('<', from);
  while (at !== -1) {
    const skippedEnd = skippedMarkupEnd(xml, at);
    if (skippedEnd !== undefined) {
      if (skippedEnd === -1) return null;
      at = xml.indexOf('<', skippedEnd + 1);
      continue;
    }
    if (xml.charCodeAt(at + 1) === SLASH) {
      const end = xml.indexOf('>', at + 2);
      if (end === -1) return null;
      if (xml.slice(at + 2, end).trim() === name && --depth === 0) return { start: at, end };
      at = xml.indexOf('<', end + 1);
      continue;
    }
    const end = tagEnd(xml, at);
    if (end === -1) return null;
    if (
      xml.startsWith(name, at + 1) &&
      endsNameAsParser(xml.charCodeAt(at + 1 + name.length)) &&
      xml.charCodeAt(end - 1) !== SLASH
    ) {
      depth += 1;
    }
    at = xml.indexOf('<', end + 1);
  }
  return null;
}

/** The direct children of `fragment`, in document order; null when it holds anything unexpected. */
export function readXmlChildren(fragment: string): XmlChild[] | null {
  const children: XmlChild[] = [];
  let at = fragment.indexOf('<');
  while (at !== -1) {
    const skippedEnd = skippedMarkupEnd(fragment, at);
    if (skippedEnd !== undefined) {
      if (skippedEnd === -1) return null;
      at = fragment.indexOf('<', skippedEnd + 1);
      continue;
    }
    if (fragment.charCodeAt(at + 1) === SLASH) return null;
    let nameEnd = at + 1;
    while (
      nameEnd < fragment.length &&
      !endsName(fragment.charCodeAt(nameEnd)) &&
      fragment.charCodeAt(nameEnd) !== SLASH
    )
      nameEnd += 1;
    const name = fragment.slice(at + 1, nameEnd);
    if (!PLAIN_NAME.test(name)) return null;
    const startEnd = tagEnd(fragment, at);
    if (startEnd === -1) return null;
    // `<name/x>` is named differently by the parser (up to the first space): not a plain feed.
    if (fragment.charCodeAt(nameEnd) === SLASH && nameEnd !== startEnd - 1) return null;
    const attributes = fragment.slice(nameEnd, startEnd);
    if (fragment.charCodeAt(startEnd - 1) === SLASH) {
      children.push({ name, attributes, content: '' });
      at = fragment.indexOf('<', startEnd + 1);
      continue;
    }
    const close = closingTag(fragment, name, startEnd + 1);
    if (close === null) return null;
    children.push({ name, attributes, content: fragment.slice(startEnd + 1, close.start) });
    at = fragment.indexOf('<', close.end + 1);
  }
  return children;
}

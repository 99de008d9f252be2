import { checkXmlBalance } from '../text/xml-tag-balance.js';

/**
 * Whether a document is plain RSS 2.0 (or 0.91–0.94) that the lean path (plain-rss.ts) reads exactly as
 * feedsmith does; anything else goes to feedsmith. What feedsmith reads differently from the raw text,
 * and so is refused here:
 * - names changed by namespaces: a default namespace on the root (feedsmith prefixes every element
 *   with it), a prefix bound to Dublin Core other than `dc:` or `dc:` bound elsewhere (feedsmith
 *   renames elements by the namespace's address), and any namespace declared below the root (feedsmith
 *   reads those as it meets them, and seeds its prefixes from the first 64 KiB of raw text);
 * - markup the parser under feedsmith reads in its own ways: a DOCTYPE or other `<!` declaration,
 *   `<!--->` (a comment that closes itself for one of its readers and not the other), elements named
 *   `constructor`, `prototype` or `__proto__` (refused by it as prototype pollution);
 * - tags that do not balance, or nest deeper than MAX_DEPTH (well under the parser's own limit of 100):
 *   feedsmith's parser pops end tags without comparing names, so only a balanced document has the
 *   same elements for both readers; the forgiving repair path stays with feedsmith.
 * Each check is a linear scan; the regular expressions have no nested or overlapping repetition.
 */
export function isPlainRss(body: string): boolean {
  const rootStart = skipProlog(body);
  if (rootStart === -1 || !body.startsWith('<rss', rootStart) || !isSpaceOrGt(body.charCodeAt(rootStart + 4)))
    return false;
  const rootEnd = body.indexOf('>', rootStart);
  if (rootEnd === -1 || !hasPlainRootAttributes(body.slice(rootStart + 4, rootEnd))) return false;
  // feedsmith seeds its prefixes from the whole head when the prolog alone passes 64 KiB.
  if (/xmlns/i.test(body.slice(0, rootStart))) return false;
  if (foundAfter(UNEXPECTED_DECLARATION, body, rootEnd) || foundAfter(UNEXPECTED_NAME, body, rootEnd)) return false;
  const balance = checkXmlBalance(body, { maxDepth: MAX_DEPTH });
  return !balance.tooDeep && balance.flaws.length === 0;
}

const MAX_DEPTH = 50;
const RSS_VERSION = /^(?:0\.9[1-4]|2\.0(?:\.1)?)$/;
/** Every address feedsmith reads as Dublin Core (its namespaces/dc config), compared lower-cased. */
const DUBLIN_CORE = new Set(
  ['purl.org/dc/elements/1.1', 'dublincore.org/documents/dcmi-namespace', 'purl.org/dc/elements/1.0'].flatMap((path) =>
    ['http', 'https'].flatMap((scheme) => [`${scheme}://${path}/`, `${scheme}://${path}`]),
  ),
);
/**
 * A `<!` that is neither a comment nor CDATA, `<!--->`, or a processing instruction (the parser ends
 * one at a `?>` outside quotes, the balance check at the first `?>`).
 */
const UNEXPECTED_DECLARATION = /<!(?!--(?!->)|\[CDATA\[)|<\?/g;
/** A namespace declaration, or an element with a name the parser refuses (it lower-cases names first). */
const UNEXPECTED_NAME = /xmlns|<\/?(?:constructor|prototype|__proto__)[\s/>]/gi;
/** One `name="value"` (or single-quoted) attribute, with the space before it. */
const ATTRIBUTE = /\s*([^\s=/>"']+)\s*=\s*(?:"([^"]*)"|'([^']*)')/y;

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13;
}

function isSpaceOrGt(code: number): boolean {
  return code === 62 || isSpace(code);
}

function foundAfter(pattern: RegExp, body: string, from: number): boolean {
  pattern.lastIndex = from;
  return pattern.test(body);
}

/** Where the root element starts after whitespace, the XML declaration, comments and processing instructions; -1 otherwise. */
function skipProlog(body: string): number {
  let at = 0;
  for (;;) {
    while (at < body.length && isSpace(body.charCodeAt(at))) at += 1;
    if (body.startsWith('<?', at)) {
      const end = body.indexOf('?>', at + 2);
      if (end === -1 || end !== quotedInstructionEnd(body, at)) return -1;
      at = end + 2;
    } else if (body.startsWith('<!--', at)) {
      const end = body.indexOf('-->', at + 4);
      if (end === -1) return -1;
      at = end + 3;
    } else {
      return body.charCodeAt(at) === 60 ? at : -1;
    }
  }
}

/**
 * Where the parser under feedsmith ends the processing instruction at `at`: at the first `?>` outside
 * quotes, looking from its `?` on. The prolog is read only when this is also the first `?>` after `<?`.
 */
function quotedInstructionEnd(body: string, at: number): number {
  let quote = 0;
  for (let index = at + 1; index < body.length; index += 1) {
    const code = body.charCodeAt(index);
    if (quote !== 0) {
      if (code === quote) quote = 0;
    } else if (code === 34 || code === 39) {
      quote = code;
    } else if (code === 63 && body.charCodeAt(index + 1) === 62) {
      return index;
    }
  }
  return -1;
}

/** The root's attributes: a known version, no default namespace, `dc:` bound to Dublin Core if at all. */
function hasPlainRootAttributes(attributes: string): boolean {
  let version: string | undefined;
  ATTRIBUTE.lastIndex = 0;
  let at = 0;
  for (let match = ATTRIBUTE.exec(attributes); match; match = ATTRIBUTE.exec(attributes)) {
    at = ATTRIBUTE.lastIndex;
    const name = match[1]!.toLowerCase();
    const value = match[2] ?? match[3] ?? '';
    if (name === 'version') version = value.trim();
    else if (name === 'xmlns') return false;
    else if (name.startsWith('xmlns:')) {
      const isDublinCore = DUBLIN_CORE.has(value.trim().toLowerCase());
      if ((name === 'xmlns:dc') !== isDublinCore) return false;
    }
  }
  // Anything left but spaces (a valueless attribute, a stray quote, a self-closing root) is not plain.
  return attributes.slice(at).trim() === '' && version !== undefined && RSS_VERSION.test(version);
}

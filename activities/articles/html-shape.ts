import { nextOccurrence } from '../text/next-occurrence.js';

/** How deep and how many elements linkedom would build from a page, estimated without building it. */
export interface HtmlShape {
  /** Deepest nesting of elements. */
  depth: number;
  /** Start tags of elements. */
  elements: number;
}

// The tree-building rules of htmlparser2 (linkedom's parser) that keep ordinary pages shallow: void
// elements never open, and some start tags close the open element they may not sit in (`<li>` an open
// `<li>`, a block an open `<p>`). Without them a page of unclosed `<li>`s would look thousands deep.
const VOID_ELEMENTS = new Set([
  'area',
  'base',
  'basefont',
  'br',
  'col',
  'command',
  'embed',
  'frame',
  'hr',
  'img',
  'input',
  'isindex',
  'keygen',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
]);
const P = new Set(['p']);
const FORM = new Set(['input', 'option', 'optgroup', 'select', 'button', 'datalist', 'textarea']);
const DD_DT = new Set(['dd', 'dt']);
const OPEN_IMPLIES_CLOSE = new Map<string, Set<string>>([
  ['tr', new Set(['tr', 'th', 'td'])],
  ['th', new Set(['th'])],
  ['td', new Set(['thead', 'th', 'td'])],
  ['body', new Set(['head', 'link', 'script'])],
  ['li', new Set(['li'])],
  ['option', new Set(['option'])],
  ['optgroup', new Set(['optgroup', 'option'])],
  ['dd', DD_DT],
  ['dt', DD_DT],
  ['rt', new Set(['rt', 'rp'])],
  ['rp', new Set(['rt', 'rp'])],
  ['tbody', new Set(['thead', 'tbody'])],
  ['tfoot', new Set(['thead', 'tbody'])],
  ...['select', 'input', 'output', 'button', 'datalist', 'textarea'].map((name) => [name, FORM] as const),
  ...[
    'p',
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'address',
    'article',
    'aside',
    'blockquote',
    'details',
    'div',
    'dl',
    'fieldset',
    'figcaption',
    'figure',
    'footer',
    'form',
    'header',
    'hr',
    'main',
    'nav',
    'ol',
    'pre',
    'section',
    'table',
    'ul',
  ].map((name) => [name, P] as const),
]);
/** Elements whose content is text, not tags: a `<div>` in a script's string opens nothing. */
const RAW_TEXT_ELEMENTS = ['script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes'] as const;
const FOREIGN_ELEMENTS = new Set(['svg', 'math']);

const TAG_NAME = /[a-zA-Z][^\s/>]*/y;

/**
 * One linear pass over the markup, a stack of open element names and a count per name (so an end tag
 * finds its element without searching the stack). Stops counting once `stopAbove` is exceeded: the
 * caller only needs to know the page is too deep.
 */
export function measureHtml(html: string, stopAbove: HtmlShape = { depth: Infinity, elements: Infinity }): HtmlShape {
  const nextTagEnd = nextOccurrence(html, />/);
  const nextCommentEnd = nextOccurrence(html, /-->/);
  const nextRawTextEnd = new Map(
    RAW_TEXT_ELEMENTS.map((name) => [name, nextOccurrence(html, new RegExp(`</${name}`))]),
  );
  const stack: string[] = [];
  const open = new Map<string, number>();
  let foreign = 0;
  let depth = 0;
  let elements = 0;
  const pop = () => {
    const name = stack.pop()!;
    open.set(name, open.get(name)! - 1);
    if (FOREIGN_ELEMENTS.has(name)) foreign -= 1;
    return name;
  };

  let at = html.indexOf('<');
  while (at !== -1 && depth <= stopAbove.depth && elements <= stopAbove.elements) {
    if (html.startsWith('<!--', at)) {
      const end = nextCommentEnd(at + 4);
      if (end === -1) break;
      at = html.indexOf('<', end + 3);
      continue;
    }
    const closing = html.charCodeAt(at + 1) === 47;
    TAG_NAME.lastIndex = at + (closing ? 2 : 1);
    const name = TAG_NAME.exec(html)?.[0].toLowerCase();
    const declaration = !name && (html.startsWith('<!', at) || html.startsWith('<?', at));
    if (!name && !declaration) {
      // A `<` that starts no tag is text, as `a < b` is.
      at = html.indexOf('<', at + 1);
      continue;
    }
    const tagEnd = nextTagEnd(at + 1);
    if (tagEnd === -1) break;
    if (name && closing) {
      if (open.get(name)) while (pop() !== name);
    } else if (name) {
      const implied = OPEN_IMPLIES_CLOSE.get(name);
      while (implied && stack.length > 0 && implied.has(stack.at(-1)!)) pop();
      elements += 1;
      const selfClosing = html.charCodeAt(tagEnd - 1) === 47 && (foreign > 0 || FOREIGN_ELEMENTS.has(name));
      if (!VOID_ELEMENTS.has(name) && !selfClosing) {
        stack.push(name);
        open.set(name, (open.get(name) ?? 0) + 1);
        if (FOREIGN_ELEMENTS.has(name)) foreign += 1;
        depth = Math.max(depth, stack.length);
      }
      const rawTextEnd = nextRawTextEnd.get(name as (typeof RAW_TEXT_ELEMENTS)[number]);
      if (rawTextEnd && foreign === 0) {
        const end = rawTextEnd(tagEnd + 1);
        if (end === -1) break;
        at = end;
        continue;
      }
    }
    at = html.indexOf('<', tagEnd + 1);
  }
  return { depth, elements };
}

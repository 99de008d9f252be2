import { z } from 'zod';

/**
 * Code that runs inside the page, kept as source text (it runs in the browser, not in Node) and built
 * from JSON-encoded selectors so a selector can never break out of its string. Answers are validated.
 */
export type SelectorType = 'css' | 'xpath';

function nodesExpression(selector: string, type: SelectorType): string {
  const quoted = JSON.stringify(selector);
  return type === 'css'
    ? `Array.from(document.querySelectorAll(${quoted}))`
    : `(() => { const found = document.evaluate(${quoted}, document, null, XPathResult.ORDERED_NODE_SNAPSHOT_TYPE, null); const nodes = []; for (let i = 0; i < found.snapshotLength; i += 1) nodes.push(found.snapshotItem(i)); return nodes; })()`;
}

/** Links matched by the selector: absolute href (resolved against the page, <base> included) and text. */
export const linksScript = (selector: string, type: SelectorType = 'css') => `
  ${nodesExpression(selector, type)}.map((node) => {
    const raw = node.getAttribute ? node.getAttribute('href') : null;
    let href = '';
    try { href = raw ? new URL(raw, document.baseURI).href : ''; } catch {}
    return { href, text: (node.textContent || '').replace(/\\s+/g, ' ').trim() };
  })`;

export const linksAnswer = z.array(z.object({ href: z.string(), text: z.string() }));

/** The text of the first node the selector matches, or null when nothing matches. */
export const textScript = (selector: string, type: SelectorType = 'css') => `
  (() => { const nodes = ${nodesExpression(selector, type)}; return nodes.length ? (nodes[0].textContent || '') : null; })()`;

export const textAnswer = z.string().nullable();

/** Playwright's message for a selector the page cannot parse, in either syntax. */
export const BAD_SELECTOR =
  /is not a valid (selector|XPath expression)|SyntaxError|Failed to execute '(querySelectorAll|evaluate)'/;

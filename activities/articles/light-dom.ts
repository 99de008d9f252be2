import { parseHTML } from 'linkedom';
import { measureHtml } from './html-shape.js';

/** The part of a DOM node that text extraction walks. */
export interface LightNode {
  /** 1 for an element, 3 for text, as in the DOM. */
  readonly nodeType: number;
  /** Upper-case tag name for elements (`BR`), `#text` for text. */
  readonly nodeName: string;
  readonly textContent: string | null;
  readonly childNodes: ArrayLike<LightNode>;
}

/** The part of a DOM element that article and preview parsing read. */
export interface LightElement extends LightNode {
  getAttribute(name: string): string | null;
  querySelector(selector: string): LightElement | null;
  querySelectorAll(selector: string): Iterable<LightElement>;
  closest(selector: string): LightElement | null;
}

/** The part of a DOM document that article extraction reads. */
export interface LightDocument {
  querySelector(selector: string): LightElement | null;
  querySelectorAll(selector: string): Iterable<LightElement>;
}

export const ELEMENT_NODE = 1;
export const TEXT_NODE = 3;

/** Most characters of HTML given to linkedom; the fetch layer allows 10 MiB, no page we read needs half. */
export const MAX_HTML_CHARS = 5 * 1024 * 1024;
/**
 * Deepest nesting given to linkedom, whose tree building slows down with depth (160,000 nested <div>s:
 * about a minute). Real pages stay under 100; browsers themselves flatten beyond 512.
 */
export const MAX_HTML_DEPTH = 1000;

/** Thrown before parsing when a page is larger or deeper than the parsers are allowed to work on. */
export class PageTooComplexError extends Error {
  override readonly name = 'PageTooComplexError';
}

export interface HtmlLimits {
  maxChars?: number;
  maxDepth?: number;
  maxElements?: number;
}

/** Refuses, in one linear pass and before any tree is built, a page beyond the limits. */
export function assertHtmlWithinLimits(
  html: string,
  { maxChars = MAX_HTML_CHARS, maxDepth = MAX_HTML_DEPTH, maxElements = Infinity }: HtmlLimits = {},
): void {
  if (html.length > maxChars)
    throw new PageTooComplexError(`page too large to read: ${html.length} characters > ${maxChars}`);
  const shape = measureHtml(html, { depth: maxDepth, elements: maxElements });
  if (shape.depth > maxDepth) throw new PageTooComplexError(`page too complex to read: depth > ${maxDepth}`);
  if (shape.elements > maxElements)
    throw new PageTooComplexError(`page too complex to read: more than ${maxElements} elements`);
}

/**
 * Parses HTML into linkedom's document, after assertHtmlWithinLimits. Its typings name the browser's
 * `Window`, which this project's Node-only lib settings do not include, so the document is narrowed
 * here to what is used.
 */
export function parseHtmlDocument(html: string, limits: HtmlLimits = {}): LightDocument {
  assertHtmlWithinLimits(html, limits);
  const window = parseHTML(html) as unknown as { document: LightDocument };
  return window.document;
}

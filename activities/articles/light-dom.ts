import { parseHTML } from 'linkedom';

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

/**
 * Parses HTML into linkedom's document. Its typings name the browser's `Window`, which this project's
 * Node-only lib settings do not include, so the document is narrowed here to what is used.
 */
export function parseHtmlDocument(html: string): LightDocument {
  const window = parseHTML(html) as unknown as { document: LightDocument };
  return window.document;
}

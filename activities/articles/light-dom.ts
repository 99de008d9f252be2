import { parseHTML } from 'linkedom';

/** The part of a DOM element that article extraction reads. */
export interface LightElement {
  readonly textContent: string | null;
  getAttribute(name: string): string | null;
}

/** The part of a DOM document that article extraction reads. */
export interface LightDocument {
  querySelector(selector: string): LightElement | null;
  querySelectorAll(selector: string): Iterable<LightElement>;
}

/**
 * Parses HTML into linkedom's document. Its typings name the browser's `Window`, which this project's
 * Node-only lib settings do not include, so the document is narrowed here to what is used.
 */
export function parseHtmlDocument(html: string): LightDocument {
  const window = parseHTML(html) as unknown as { document: LightDocument };
  return window.document;
}

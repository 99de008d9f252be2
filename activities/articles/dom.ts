/**
 * The part of linkedom's DOM that article extraction walks and edits. linkedom's typings name the
 * browser's classes, which this project's Node-only lib settings do not include, so the extractor
 * narrows the document to this.
 */
export interface DomNode {
  /** 1 for an element, 3 for text, as in the DOM. */
  readonly nodeType: number;
  /** Upper-case tag name for elements (`P`), `#text` for text. */
  readonly nodeName: string;
  readonly textContent: string | null;
  readonly childNodes: ArrayLike<DomNode>;
  readonly parentNode: DomNode | null;
}

export interface DomElement extends DomNode {
  readonly id: string;
  readonly className: string;
  readonly children: ArrayLike<DomElement>;
  readonly previousElementSibling: DomElement | null;
  getAttribute(name: string): string | null;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): Iterable<DomElement>;
  closest(selector: string): DomElement | null;
  remove(): void;
}

export interface DomDocument {
  readonly documentElement: DomElement | null;
  readonly body: DomElement | null;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): Iterable<DomElement>;
}

export const ELEMENT = 1;
export const TEXT = 3;

export const isElement = (node: DomNode): node is DomElement => node.nodeType === ELEMENT;

/** Elements in document order under root (root excluded), without recursion: a deep page must not overflow the stack. */
export function* descendants(root: DomElement): Generator<DomElement> {
  const stack: DomElement[] = [];
  for (let index = root.children.length - 1; index >= 0; index -= 1) stack.push(root.children[index]!);
  while (stack.length > 0) {
    const element = stack.pop()!;
    yield element;
    for (let index = element.children.length - 1; index >= 0; index -= 1) stack.push(element.children[index]!);
  }
}

// Just enough of `document` for the inspector's section builders (src/extension/webview/dom.ts):
// they only create elements, set attributes and append children, so their structure can be
// checked in Node without a browser.

export class FakeElement {
  readonly attributes = new Map<string, string>();
  readonly children: (FakeElement | string)[] = [];
  parent: FakeElement | undefined;
  /** Set as a property by some builders (a disabled button). */
  disabled = false;

  constructor(readonly tagName: string) {}

  setAttribute(name: string, value: string): void {
    this.attributes.set(name, value);
  }

  getAttribute(name: string): string | null {
    return this.attributes.get(name) ?? null;
  }

  append(...nodes: (FakeElement | string)[]): void {
    for (const node of nodes) {
      if (node instanceof FakeElement) node.parent = this;
      this.children.push(node);
    }
  }

  /** Child elements, text left out. */
  get elements(): FakeElement[] {
    return this.children.filter((child): child is FakeElement => child instanceof FakeElement);
  }

  /** This element and every element under it, in document order. */
  all(): FakeElement[] {
    return [this, ...this.elements.flatMap((child) => child.all())];
  }
}

/** Installs the fake `document` for the current test process. */
export function installFakeDocument(): void {
  const fake = {
    createElement: (tag: string) => new FakeElement(tag),
    createElementNS: (_namespace: string, tag: string) => new FakeElement(tag),
  };
  Object.assign(globalThis, { document: fake });
}

/** The builders type their results as DOM nodes; in these tests they are FakeElements. */
export function asFake(node: unknown): FakeElement {
  if (!(node instanceof FakeElement)) throw new Error("expected an element built on the fake document");
  return node;
}

// Building elements for the inspector page: plain DOM, patched in place by morphdom (see inspectorApp).

export type Child = Node | string | null | undefined | false;
export type Attributes = Record<string, string | undefined>;

function fill<E extends Element>(element: E, attributes: Attributes, children: Child[]): E {
  for (const [name, value] of Object.entries(attributes)) if (value !== undefined) element.setAttribute(name, value);
  for (const child of children) if (child !== null && child !== undefined && child !== false) element.append(child);
  return element;
}

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  return fill(document.createElement(tag), attributes, children);
}

const SVG_NS = "http://www.w3.org/2000/svg";

export function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): SVGElementTagNameMap[K] {
  return fill(document.createElementNS(SVG_NS, tag), attributes, children);
}

/** A `<details>` whose open state the page remembers under `key` (see PageUi.open). */
export function disclosure(key: string, open: boolean, summary: Child, ...body: Child[]): HTMLDetailsElement {
  return h(
    "details",
    { "data-key": key, "data-disclosure": key, open: open ? "" : undefined },
    h("summary", {}, summary),
    ...body,
  );
}

/**
 * Builds elements from data without ever parsing it as HTML: every string becomes a text node,
 * so a store name such as `<img onerror=…>` is shown, not run.
 */
export type Child = Node | string | number | null | undefined | false;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | boolean | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    node.setAttribute(name, value === true ? '' : value);
  }
  append(node, ...children);
  return node;
}

/** Appends children, skipping empty ones. */
export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
}

/** Replaces everything inside `parent`. */
export function replace(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}

/** A table with a header row and one row per item. */
export function table<T>(columns: readonly { title: string; cell: (item: T) => Child; className?: string }[], items: readonly T[], attrs: Record<string, string> = {}): HTMLTableElement {
  return el(
    'table',
    attrs,
    el('thead', {}, el('tr', {}, ...columns.map((c) => el('th', { class: c.className }, c.title)))),
    el('tbody', {}, ...items.map((item) => el('tr', {}, ...columns.map((c) => el('td', { class: c.className }, c.cell(item)))))),
  );
}

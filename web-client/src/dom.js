// One small helper to build DOM nodes, so that the widget needs no framework and never sets
// innerHTML: caption text comes from the network and is only ever inserted as text.

/** An element with attributes (null/undefined/false ones left out) and children (strings become text). */
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v === true ? '' : String(v));
    }
  }
  node.append(...children);
  return node;
}

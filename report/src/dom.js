// DOM helpers. Everything from the report's data reaches the page as text (textContent, text nodes, attribute
// values set through properties); there is no innerHTML anywhere in the report.

// el("td", {class: "num", title: "…"}, child, "text", …): an element with properties and children; strings and
// numbers become text nodes, null/false children are skipped.
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  setProps(node, props);
  appendAll(node, children);
  return node;
}

const SVG_NS = "http://www.w3.org/2000/svg";

// The same for SVG: attribute values are numbers and constant strings computed by the report's own code.
export function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value == null) continue;
    node.setAttribute(key, String(value));
  }
  appendAll(node, children);
  return node;
}

function setProps(node, props) {
  for (const [key, value] of Object.entries(props)) {
    if (value == null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = String(value);
    else if (key === "title") node.title = String(value);
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key in node) node[key] = value;  // type, value, colSpan, scope, disabled, …
    else node.setAttribute(key, String(value));
  }
}

export function appendAll(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child == null || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

export function clear(node) {
  node.replaceChildren();
  return node;
}

// A string from the data (an account id, a target, a reason): isolated from the surrounding text direction (so a
// right-to-left override inside cannot reorder the page around it), cut to `max` characters for display with the
// whole value in the tooltip.
export function dataText(value, max = 80) {
  const full = asText(value);
  const chars = Array.from(full);  // code points: a cut never splits a surrogate pair
  const node = el("bdi", { class: "data" });
  if (chars.length > max) {
    node.textContent = chars.slice(0, max).join("") + "\u2026";
    node.title = full.length > 4000 ? full.slice(0, 4000) + `\u2026 (${chars.length} characters)` : full;
    node.classList.add("cut");
  } else {
    node.textContent = full;
    if (full.length > 24) node.title = full;
  }
  if (full === "") node.classList.add("empty");
  return node;
}

// Any JSON value as display text; strings as themselves.
export function asText(value) {
  if (value == null) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

// A plain string cut for labels drawn on a canvas (the network views).
export function shortLabel(value, max = 32) {
  const chars = Array.from(asText(value));
  return chars.length > max ? chars.slice(0, max).join("") + "\u2026" : chars.join("");
}

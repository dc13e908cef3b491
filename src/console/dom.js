// Small DOM helpers. Everything shown goes in as text (textContent), never as HTML: key descriptions, tags,
// policies and audit parameters are caller-controlled strings.

/** h('a', { href: '#/x', class: 'y' }, 'text', child…): an element; null/undefined/false children are skipped. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'value') element.value = value;
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

/** A <table> with a caption, header cells (scope=col) and rows: arrays of cells (strings or nodes) or <tr> nodes. */
export function table(caption, headers, rows, attributes = {}) {
  return h('div', { class: 'table-wrap' },
    h('table', attributes,
      h('caption', {}, caption),
      h('thead', {}, h('tr', {}, headers.map((header) => h('th', { scope: 'col' }, header)))),
      h('tbody', {}, rows.map((cells) => (cells instanceof Node ? cells : h('tr', {}, cells.map((cell) => h('td', {}, cell))))))));
}

/** A definition list from [term, value] pairs; values null/undefined show as "—". */
export function fields(pairs) {
  return h('dl', { class: 'fields' }, pairs.flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, value ?? '—')]));
}

/** An ISO time shown in UTC to the second (kmslite's clock may be far from the browser's), local time on hover. */
export function time(value) {
  if (!value) return '—';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  return h('time', { datetime: date.toISOString(), title: date.toString() }, date.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z'));
}

export function code(text) {
  return h('code', {}, text);
}

/** A <pre> block and a button that copies its text. */
export function copyable(label, text) {
  const pre = h('pre', { tabindex: '0', 'aria-label': label }, text);
  const button = h('button', { type: 'button', onclick: () => copy(text, button) }, `Copy ${label}`);
  return h('div', { class: 'copyable' }, pre, button);
}

async function copy(text, button) {
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = 'Copied';
  } catch {
    button.textContent = 'Select the text to copy it';
  }
}

export function stateBadge(state) {
  return h('span', { class: `badge state-${state}` }, state);
}

export function setStatus(message) {
  document.getElementById('status').textContent = message;
}

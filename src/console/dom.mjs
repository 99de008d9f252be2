// The console's one way to make DOM: elements and text nodes, never HTML strings. Everything the API
// returns (item titles come from hostile web pages) lands in text nodes or checked attributes.

/** Links may point inside the console, at this API, or at http(s) pages; anything else (javascript:, data:) goes nowhere. */
export function safeHref(value) {
  const text = String(value ?? '');
  if (text.startsWith('#') || (text.startsWith('/') && !text.startsWith('//'))) return text;
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : '#';
  } catch {
    return '#';
  }
}

/** h('a', { href, class, onclick }, 'text', child…): attributes are set one by one, children appended as nodes. */
export function h(tag, props, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (name === 'class') element.className = value;
    else if (name === 'dataset') Object.assign(element.dataset, value);
    else if (name === 'value' || name === 'checked') element[name] = value;
    else if (name === 'href' || name === 'src') element.setAttribute(name, safeHref(value));
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

export function append(element, children) {
  for (const child of [children].flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

export function replace(element, ...children) {
  element.replaceChildren();
  return append(element, children);
}

/** An outside link: a new tab that learns nothing about the console. */
export const outLink = (href, text) => h('a', { href, target: '_blank', rel: 'noopener noreferrer' }, text);

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const STEPS = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 30],
  ['month', 12],
  ['year', Infinity],
];

/** "3 minutes ago" / "in 2 hours", with the exact time as the tooltip. */
export function when(iso) {
  if (!iso) return h('span', { class: 'muted' }, '—');
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return h('span', { class: 'muted' }, String(iso));
  let amount = (date.getTime() - Date.now()) / 1000;
  let unit = 'second';
  for (const [name, size] of STEPS) {
    unit = name;
    if (Math.abs(amount) < size) break;
    amount /= size;
  }
  return h(
    'time',
    { datetime: date.toISOString(), title: date.toLocaleString() },
    relative.format(Math.round(amount), unit),
  );
}

export const badge = (text, kind = text) =>
  h('span', { class: `badge badge-${String(kind).replace(/[^a-z_]/gi, '')}` }, text);

/** Counts as "found 12 · new 3 …", zeros left out. */
export function countsText(counts) {
  if (!counts) return '';
  return (
    Object.entries(counts)
      .filter(([, value]) => typeof value === 'number' && value > 0)
      .map(([name, value]) => `${name} ${value}`)
      .join(' · ') || 'nothing found'
  );
}

/** A loading line that says what it waits for. */
export const loading = (what) => h('p', { class: 'loading', role: 'status' }, `Loading ${what}…`);

/** An empty state: what is missing and what to do about it. */
export const empty = (text, ...action) => h('div', { class: 'empty' }, h('p', null, text), action);

// The item browser: search what the streams collected by text, stream and time, a page at a time.
import { query } from './api.mjs';
import { empty, h, loading, outLink, replace, when } from './dom.mjs';
import { errorBox } from './errors.mjs';
import { allPages, loadMore } from './paging.mjs';

const PAGE_SIZE = 50;

/** A datetime-local value (the browser's zone) as ISO 8601, or undefined. */
const isoOf = (local) => (local ? new Date(local).toISOString() : undefined);
const localOf = (iso) => {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};

function itemView(item, streamNames) {
  return h(
    'li',
    { class: 'item' },
    h('div', { class: 'item-title' }, outLink(item.url, item.title || item.url)),
    item.summary
      ? h('p', { class: 'summary' }, item.summary.length > 300 ? `${item.summary.slice(0, 300)}…` : item.summary)
      : null,
    h(
      'p',
      { class: 'muted small' },
      h(
        'a',
        { href: `#/streams/${encodeURIComponent(item.streamId)}` },
        streamNames.get(item.streamId) ?? item.streamId,
      ),
      item.author ? ` · ${item.author}` : '',
      item.publishedAt ? [' · published ', when(item.publishedAt)] : '',
      ' · first seen ',
      when(item.firstSeenAt),
    ),
  );
}

export async function itemsPage(main, { params }) {
  const text = h('input', {
    type: 'search',
    name: 'q',
    placeholder: 'words in the title or summary',
    value: params.q ?? '',
    maxlength: 200,
  });
  const stream = h('select', { name: 'streamId' }, h('option', { value: '' }, 'all streams'));
  const since = h('input', { type: 'datetime-local', name: 'since', value: localOf(params.since) });
  const until = h('input', { type: 'datetime-local', name: 'until', value: localOf(params.until) });
  const form = h(
    'form',
    { class: 'filters', role: 'search' },
    h('label', null, 'Search ', text),
    h('label', null, 'Stream ', stream),
    h('label', null, 'First seen from ', since),
    h('label', null, 'to ', until),
    h('button', { type: 'submit', class: 'primary' }, 'Search'),
  );
  const results = h('div', null, loading('the items'));
  replace(main, h('h1', null, 'Items'), form, results);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = `#/items${query({ q: text.value.trim(), streamId: stream.value, since: isoOf(since.value), until: isoOf(until.value) })}`;
  });

  const streams = await allPages('/streams', { limit: 500 }, 'streams');
  const streamNames = new Map(streams.map((candidate) => [candidate.id, candidate.name]));
  for (const candidate of streams) stream.append(h('option', { value: candidate.id }, candidate.name));
  stream.value = params.streamId ?? '';

  const list = h('ul', { class: 'items' });
  const search = { q: params.q, streamId: params.streamId, since: params.since, until: params.until, limit: PAGE_SIZE };
  const { button, first } = loadMore({
    path: '/items',
    params: search,
    listKey: 'items',
    showRows(items) {
      list.append(...items.map((item) => itemView(item, streamNames)));
    },
    showError: (error) => replace(results, errorBox(error)),
  });
  replace(results, list, button);
  const firstPageRows = await first.catch((error) => replace(results, errorBox(error)));
  if (firstPageRows === 0) {
    const filtered = search.q || search.streamId || search.since || search.until;
    replace(results, empty(filtered ? 'No item matches this search.' : 'No items yet: run a stream to collect some.'));
  }
}

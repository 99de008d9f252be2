// The streams list: what each stream is, whether it runs, how its last run went and when it fires next.
import { api, query } from './api.mjs';
import { badge, countsText, empty, h, loading, replace, when } from './dom.mjs';
import { errorBox } from './errors.mjs';
import { loadMore } from './paging.mjs';

const PAGE_SIZE = 100;

/** "every 15min", "cron 0 7 * * 1-5 (Europe/Berlin)", or "by hand". */
export function frequencyText(frequency) {
  if (!frequency) return 'by hand';
  if (typeof frequency === 'string') return frequency === 'daily' ? 'daily' : `every ${frequency}`;
  return `cron ${frequency.cron} (${frequency.timezone ?? 'UTC'})`;
}

export function statusBadges(stream) {
  return [
    badge(stream.status),
    stream.scheduleStatus === 'error'
      ? h('span', { title: stream.scheduleError ?? '' }, badge('schedule error', 'failed'))
      : null,
  ];
}

export function lastRunCell(lastRun) {
  if (!lastRun) return h('span', { class: 'muted' }, 'never run');
  return h(
    'span',
    { title: lastRun.error ?? countsText(lastRun.counts) },
    badge(lastRun.status),
    ' ',
    when(lastRun.at),
    lastRun.counts ? h('span', { class: 'muted small' }, ` · ${countsText(lastRun.counts)}`) : null,
  );
}

/** Schedule look-ups in flight at once: each is a Temporal round trip, and a page lists up to a hundred streams. */
const SCHEDULE_LOOKUPS_AT_ONCE = 4;
let lookupsRunning = 0;
const lookupsWaiting = [];

function nextLookup() {
  while (lookupsRunning < SCHEDULE_LOOKUPS_AT_ONCE && lookupsWaiting.length > 0) {
    const lookup = lookupsWaiting.shift();
    lookupsRunning += 1;
    void lookup().finally(() => {
      lookupsRunning -= 1;
      nextLookup();
    });
  }
}

/** The next fire time, asked of the stream's Temporal schedule once the row is on screen. */
export function nextFireCell(stream, signal) {
  const cell = h('span', { class: 'muted' }, stream.frequency ? '…' : '—');
  if (!stream.frequency) return cell;
  if (stream.status === 'paused') return replace(cell, 'paused');
  lookupsWaiting.push(() => (signal.aborted ? Promise.resolve() : lookupSchedule(stream, cell, signal)));
  nextLookup();
  return cell;
}

function lookupSchedule(stream, cell, signal) {
  return api('GET', `/streams/${encodeURIComponent(stream.id)}/schedule`)
    .then((schedule) => {
      if (signal.aborted) return;
      if (schedule.paused) replace(cell, 'paused');
      else if (schedule.nextFireTimes[0]) replace(cell, when(schedule.nextFireTimes[0]));
      else replace(cell, schedule.scheduled ? 'none' : 'no schedule');
    })
    .catch((error) => replace(cell, h('span', { title: error.message }, 'unknown')));
}

export async function streamsPage(main, { params, signal }) {
  const statusSelect = h(
    'select',
    { name: 'status' },
    ['', 'active', 'paused'].map((value) => h('option', { value }, value || 'any')),
  );
  const typeSelect = h('select', { name: 'type' }, h('option', { value: '' }, 'any'));
  const filters = h(
    'form',
    { class: 'filters', role: 'search' },
    h('label', null, 'Status ', statusSelect),
    h('label', null, 'Type ', typeSelect),
    h('button', { type: 'submit' }, 'Filter'),
  );
  statusSelect.value = params.status ?? '';
  const body = h('div', null, loading('the streams'));
  replace(
    main,
    h(
      'div',
      { class: 'page-head' },
      h('h1', null, 'Streams'),
      h('a', { class: 'button primary', href: '#/streams/new' }, 'New stream'),
    ),
    filters,
    body,
  );
  filters.addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = `#/streams${query({ status: statusSelect.value, type: typeSelect.value })}`;
  });

  const rowOf = (stream) =>
    h(
      'tr',
      { dataset: { streamId: stream.id } },
      h('td', null, h('a', { href: `#/streams/${encodeURIComponent(stream.id)}` }, stream.name)),
      h('td', null, h('code', null, stream.taskType)),
      h('td', null, statusBadges(stream)),
      h('td', null, frequencyText(stream.frequency)),
      h('td', null, lastRunCell(stream.lastRun)),
      h('td', { class: 'next-fire' }, nextFireCell(stream, signal)),
    );
  const rows = h('tbody');
  const table = h(
    'table',
    { class: 'list' },
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        ['Name', 'Type', 'Status', 'Schedule', 'Last run', 'Next fire'].map((name) => h('th', null, name)),
      ),
    ),
    rows,
  );
  const failure = h('div');
  const { button, first } = loadMore({
    path: '/streams',
    params: { limit: PAGE_SIZE, status: params.status, type: params.type },
    listKey: 'streams',
    showRows(streams) {
      rows.append(...streams.map(rowOf));
    },
    showError: (error) => replace(failure, errorBox(error)),
  });
  const [{ tasks }, firstPageRows] = await Promise.all([api('GET', '/tasks'), first]);
  for (const task of tasks) typeSelect.append(h('option', { value: task.type }, task.type));
  typeSelect.value = params.type ?? '';
  if (firstPageRows === 0) {
    const filtered = params.status || params.type;
    return replace(
      body,
      empty(
        filtered
          ? 'No stream matches these filters.'
          : 'No streams yet. A stream collects or publishes on its own schedule, or when you run it.',
        h('a', { class: 'button primary', href: '#/streams/new' }, 'Create the first stream'),
      ),
    );
  }
  replace(body, table, failure, h('p', { class: 'pager' }, button));
}

// One stream: what it is, what it may do (run now, pause with a note, resume, edit, copy, delete), its
// runs with live progress, and the latest items it collected.
import { ApiFailure, api, followRun, query, temporalRunUrl } from './api.mjs';
import { errorBox } from './errors.mjs';
import { badge, countsText, empty, h, loading, outLink, replace, when } from './dom.mjs';
import { frequencyText, lastRunCell, nextFireCell, statusBadges } from './streams.mjs';

const ITEMS_SHOWN = 10;

function progressView(progress) {
  if (!progress) return h('span', { class: 'muted' }, 'starting…');
  return h(
    'span',
    { class: 'progress' },
    h('span', { class: 'spinner', 'aria-hidden': 'true' }),
    ` ${progress.phase}`,
    progress.attempt > 1 ? ` (attempt ${progress.attempt})` : '',
    Object.values(progress.counts ?? {}).some((count) => count > 0) ? ` · ${countsText(progress.counts)}` : '',
    progress.lastError
      ? h('span', { class: 'muted small', title: progress.lastError }, ' · retrying after an error')
      : null,
  );
}

function runRow(run) {
  const counts = run.counts ?? run.result?.counts ?? null;
  const error = typeof run.error === 'string' ? run.error : run.error?.message;
  return h(
    'tr',
    { dataset: { runId: run.id } },
    h('td', null, h('code', { class: 'small' }, run.id)),
    h('td', null, run.trigger ?? '—'),
    h('td', { class: 'run-status' }, badge(run.status)),
    h('td', null, when(run.startedAt)),
    h(
      'td',
      { class: 'run-detail' },
      run.status === 'running'
        ? progressView(run.progress)
        : error
          ? h('span', { class: 'error-text' }, error)
          : countsText(counts),
    ),
    h('td', null, outLink(temporalRunUrl(run.id), 'Temporal UI ↗')),
  );
}

/** Keeps a running run's row live from its events until it ends, then calls onEnd. */
function watch(row, runId, signal, onEnd) {
  const status = row.querySelector('.run-status');
  const detail = row.querySelector('.run-detail');
  followRun(
    runId,
    (event, data) => {
      if (event === 'progress') replace(detail, progressView(data?.progress));
      if (event === 'end' && data) {
        replace(status, badge(data.status));
        replace(
          detail,
          data.error ? h('span', { class: 'error-text' }, data.error.message) : countsText(data.result?.counts),
        );
        onEnd();
      }
      if (event === 'error') replace(detail, h('span', { class: 'error-text' }, data?.message ?? 'lost the run'));
    },
    signal,
  ).catch((error) => {
    if (!signal.aborted) replace(detail, h('span', { class: 'error-text' }, `live progress stopped: ${error.message}`));
  });
}

export async function streamPage(main, { id, signal }) {
  replace(main, loading('the stream'));
  const path = `/streams/${encodeURIComponent(id)}`;
  let stream = await api('GET', path);

  const head = h('div', { class: 'page-head' });
  const details = h('dl', { class: 'details' });
  const notice = h('div', { class: 'notice-area', 'aria-live': 'polite' });
  const actions = h('div', { class: 'actions' });
  const runsBox = h('section', null, h('h2', null, 'Runs'), loading('the runs'));
  const itemsBox = h('section', null, h('h2', null, 'Latest items'), loading('the items'));
  replace(main, head, notice, actions, details, runsBox, itemsBox);

  const say = (text, kind = 'ok') =>
    replace(
      notice,
      h('div', { class: kind === 'ok' ? 'notice' : 'error', role: kind === 'ok' ? 'status' : 'alert' }, text),
    );
  const fail = (error) => replace(notice, errorBox(error));

  /** Runs a button's action with the button busy, showing its outcome or failure. */
  const busy = (button, label, work) => async () => {
    const text = button.textContent;
    button.disabled = true;
    button.textContent = label;
    try {
      await work();
    } catch (error) {
      fail(error);
    } finally {
      button.disabled = false;
      button.textContent = text;
    }
  };

  function renderStream() {
    replace(head, h('h1', null, stream.name, ' ', statusBadges(stream)));
    const row = (term, ...value) => [h('dt', null, term), h('dd', null, value)];
    replace(
      details,
      row('Task', h('code', null, stream.taskType)),
      row('Schedule', frequencyText(stream.frequency), stream.frequency ? ` · overlap: ${stream.overlapPolicy}` : ''),
      row('Next fire', nextFireCell(stream, signal)),
      row('Last run', lastRunCell(stream.lastRun)),
      stream.pauseNote ? row('Pause note', stream.pauseNote) : null,
      stream.scheduleError ? row('Schedule error', h('span', { class: 'error-text' }, stream.scheduleError)) : null,
      row('Source', h('code', null, stream.sourceId)),
      row('Config', h('pre', { class: 'config' }, JSON.stringify(stream.config, null, 2))),
      row('Id', h('code', null, stream.id), ' · created ', when(stream.createdAt)),
    );
    renderActions();
  }

  function renderActions() {
    const runNow = h('button', { type: 'button', class: 'primary' }, 'Run now');
    runNow.addEventListener(
      'click',
      busy(runNow, 'Starting…', async () => {
        let started;
        try {
          started = await api('POST', `${path}/runs`);
        } catch (error) {
          if (!(error instanceof ApiFailure && error.code === 'RUN_IN_PROGRESS')) throw error;
          say('A run of this stream is still going; it is in the list below.', 'error');
          return;
        }
        say(`Run started: ${started.runId}`);
        addLiveRun({
          id: started.runId,
          trigger: 'manual',
          status: 'running',
          startedAt: new Date().toISOString(),
          progress: null,
        });
      }),
    );
    const controls = [runNow];
    if (stream.status === 'active') {
      const note = h('input', {
        type: 'text',
        name: 'note',
        placeholder: 'why (optional), e.g. site down',
        maxlength: 500,
        'aria-label': 'pause note',
      });
      const pause = h('button', { type: 'submit' }, 'Pause');
      const pauseForm = h('form', { class: 'inline' }, note, pause);
      pauseForm.addEventListener('submit', (event) => {
        event.preventDefault();
        void busy(pause, 'Pausing…', async () => {
          stream = await api('POST', `${path}/pause`, note.value.trim() ? { note: note.value.trim() } : {});
          say('Paused: its schedule will not fire until you resume it. Run now still works.');
          renderStream();
        })();
      });
      controls.push(pauseForm);
    } else {
      const resume = h('button', { type: 'button' }, 'Resume');
      resume.addEventListener(
        'click',
        busy(resume, 'Resuming…', async () => {
          stream = await api('POST', `${path}/resume`);
          say('Resumed.');
          renderStream();
        }),
      );
      controls.push(resume);
    }
    controls.push(
      h('a', { class: 'button', href: `#${path}/edit` }, 'Edit'),
      h('a', { class: 'button', href: `#${path}/copy` }, 'Copy'),
      h('a', { class: 'button', href: `#/items${query({ streamId: stream.id })}` }, 'All items'),
    );
    const remove = h('button', { type: 'button', class: 'danger' }, 'Delete…');
    remove.addEventListener('click', () => {
      const confirm = h('button', { type: 'button', class: 'danger' }, `Delete "${stream.name}" and its schedule`);
      const keep = h('button', { type: 'button' }, 'Keep it');
      confirm.addEventListener(
        'click',
        busy(confirm, 'Deleting…', async () => {
          await api('DELETE', path);
          location.hash = '#/streams';
        }),
      );
      keep.addEventListener('click', () => renderActions());
      replace(actions, h('span', null, 'Its items stay; its schedule goes. '), confirm, keep);
    });
    controls.push(remove);
    replace(actions, controls);
  }

  let runsBody;
  function addLiveRun(run) {
    if (!runsBody) {
      runsBody = h('tbody');
      replace(runsBox, h('h2', null, 'Runs'), runsTable(runsBody));
    }
    runsBody.querySelector(`tr[data-run-id="${CSS.escape(run.id)}"]`)?.remove();
    const row = runRow(run);
    runsBody.prepend(row);
    watch(row, run.id, signal, () => void refreshAfterRun());
  }

  async function refreshAfterRun() {
    try {
      stream = await api('GET', path);
      renderStream();
      await loadItems();
    } catch (error) {
      fail(error);
    }
  }

  const runsTable = (body) =>
    h(
      'table',
      { class: 'list runs' },
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          ['Run', 'Trigger', 'Status', 'Started', 'Outcome', ''].map((name) => h('th', null, name)),
        ),
      ),
      body,
    );

  async function loadRuns() {
    try {
      const { runs } = await api('GET', `${path}/runs${query({ pageSize: 20 })}`);
      if (runs.length === 0 && !runsBody)
        return replace(
          runsBox,
          h('h2', null, 'Runs'),
          empty('No runs yet. "Run now" starts one; a schedule starts them by itself.'),
        );
      runsBody ??= h('tbody');
      for (const run of runs) {
        if (runsBody.querySelector(`tr[data-run-id="${CSS.escape(run.id)}"]`)) continue;
        const row = runRow(run);
        runsBody.append(row);
        if (run.status === 'running') watch(row, run.id, signal, () => void refreshAfterRun());
      }
      replace(runsBox, h('h2', null, 'Runs'), runsTable(runsBody));
    } catch (error) {
      replace(runsBox, h('h2', null, 'Runs'), errorBox(error));
    }
  }

  async function loadItems() {
    try {
      const { items } = await api('GET', `${path}/items${query({ limit: ITEMS_SHOWN })}`);
      if (items.length === 0) return replace(itemsBox, h('h2', null, 'Latest items'), empty('Nothing collected yet.'));
      replace(
        itemsBox,
        h('h2', null, 'Latest items'),
        h(
          'ul',
          { class: 'items' },
          items.map((item) =>
            h(
              'li',
              null,
              outLink(item.url, item.title || item.url),
              ' ',
              h('span', { class: 'muted small' }, when(item.firstSeenAt)),
            ),
          ),
        ),
        h('a', { href: `#/items${query({ streamId: stream.id })}` }, 'Search all of its items →'),
      );
    } catch (error) {
      replace(itemsBox, h('h2', null, 'Latest items'), errorBox(error));
    }
  }

  renderStream();
  await Promise.all([loadRuns(), loadItems()]);
}

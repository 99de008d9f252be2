// What the publishing streams sent, refused, or could not confirm. An `unknown` one (the send's answer
// was lost) waits for a person who looked at the channel to say whether the message is there.
import { api, query } from './api.mjs';
import { badge, empty, h, loading, outLink, replace, when } from './dom.mjs';
import { errorBox } from './errors.mjs';
import { loadMore } from './paging.mjs';

const STATUSES = ['unknown', 'sent', 'refused', 'sending'];

function resolveControls(publication, row, onDone) {
  const externalId = h('input', {
    type: 'text',
    placeholder: 'message id (optional)',
    maxlength: 100,
    'aria-label': 'message id in the channel',
  });
  const sent = h('button', { type: 'button', class: 'primary' }, 'It is in the channel');
  const notSent = h('button', { type: 'button' }, 'It is not: send again');
  const problem = h('div');
  const resolve = (outcome) => async () => {
    sent.disabled = notSent.disabled = true;
    try {
      const body = {
        outcome,
        ...(outcome === 'sent' && externalId.value.trim() ? { externalId: externalId.value.trim() } : {}),
      };
      await api('POST', `/publications/${publication.id}/resolve`, body);
      onDone(outcome);
    } catch (error) {
      replace(problem, errorBox(error));
      sent.disabled = notSent.disabled = false;
    }
  };
  sent.addEventListener('click', resolve('sent'));
  notSent.addEventListener('click', resolve('not_sent'));
  return h('div', { class: 'resolve' }, externalId, sent, notSent, problem);
}

export async function publicationsPage(main, { params }) {
  const status = params.status ?? 'unknown';
  const tabs = h(
    'nav',
    { class: 'tabs' },
    [...STATUSES, 'all'].map((name) =>
      h('a', { href: `#/publications${query({ status: name })}`, class: name === status ? 'active' : '' }, name),
    ),
  );
  const list = h('div', null, loading('the publications'));
  const notice = h('div', { 'aria-live': 'polite' });
  replace(
    main,
    h('h1', null, 'Publications'),
    h(
      'p',
      { class: 'help' },
      'Unknown: the channel may or may not have the message (the answer was lost). Look at the channel, then say which.',
    ),
    tabs,
    notice,
    list,
  );
  const rows = h('tbody');
  const failure = h('div');
  const { button, first } = loadMore({
    path: '/publications',
    params: { status: status === 'all' ? undefined : status, limit: 100 },
    listKey: 'publications',
    showRows(publications) {
      rows.append(...publications.map(publicationRow));
    },
    showError: (error) => replace(failure, errorBox(error)),
  });
  if ((await first) === 0)
    return replace(
      list,
      empty(
        status === 'unknown' ? 'Nothing to resolve: every publication has a known outcome.' : 'No publications here.',
      ),
    );
  function publicationRow(publication) {
    const row = h(
      'tr',
      { dataset: { publicationId: String(publication.id) } },
      h(
        'td',
        null,
        publication.url
          ? outLink(publication.url, publication.title || publication.url)
          : (publication.title ?? h('span', { class: 'muted' }, `#${publication.id}`)),
      ),
      h('td', null, h('code', null, publication.channel)),
      h(
        'td',
        null,
        badge(publication.status),
        publication.error ? h('div', { class: 'error-text small' }, publication.error) : null,
      ),
      h('td', null, when(publication.publishedAt)),
      h('td', null, h('a', { href: `#/streams/${encodeURIComponent(publication.streamId)}` }, 'stream')),
      h('td', null),
    );
    if (publication.status === 'unknown')
      row.lastChild.append(
        resolveControls(publication, row, (outcome) => {
          row.remove();
          replace(
            notice,
            h(
              'div',
              { class: 'notice', role: 'status' },
              outcome === 'sent' ? 'Recorded as sent.' : 'Recorded as not sent: the next run sends it again.',
            ),
          );
        }),
      );
    return row;
  }
  replace(
    list,
    h(
      'table',
      { class: 'list' },
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          ['Message', 'Channel', 'Status', 'When', '', ''].map((name) => h('th', null, name)),
        ),
      ),
      rows,
    ),
    failure,
    h('p', { class: 'pager' }, button),
  );
}

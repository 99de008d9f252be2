// The documents queue: what news_stream wrote for a medium waits as `new`; a person edits it (`edit`),
// and doc_publisher publishes what is new, edited or failed (`publish`).
import { ApiFailure, api, query } from './api.mjs';
import { badge, empty, h, loading, outLink, replace, when } from './dom.mjs';
import { errorBox } from './errors.mjs';
import { clearIssues, field, showFormError, showIssues } from './forms.mjs';
import { loadMore } from './paging.mjs';

const STATUSES = ['new', 'edit', 'publish', 'failed'];
const STATUS_HELP = {
  new: 'written, waiting for an editor or the publisher',
  edit: 'being edited; still published by the next doc_publisher run',
  publish: 'published',
  failed: 'the channel refused it; edit it and the next run tries again',
};

export async function documentsPage(main, { params }) {
  const status = params.status ?? 'new';
  const tabs = h(
    'nav',
    { class: 'tabs' },
    [...STATUSES, 'all'].map((name) =>
      h(
        'a',
        {
          href: `#/documents${query({ status: name })}`,
          class: name === status ? 'active' : '',
          title: STATUS_HELP[name] ?? 'every status',
        },
        name,
      ),
    ),
  );
  const list = h('div', null, loading('the documents'));
  replace(main, h('h1', null, 'Documents'), tabs, list);
  const rows = h('tbody');
  const failure = h('div');
  const { button, first } = loadMore({
    path: '/documents',
    params: { status: status === 'all' ? undefined : status, limit: 100 },
    listKey: 'docs',
    showRows(docs) {
      rows.append(
        ...docs.map((doc) =>
          h(
            'tr',
            null,
            h('td', null, h('a', { href: `#/documents/${doc.id}` }, doc.title)),
            h('td', null, badge(doc.status)),
            h('td', null, h('code', null, doc.mediaId)),
            h('td', null, when(doc.updatedAt)),
          ),
        ),
      );
    },
    showError: (error) => replace(failure, errorBox(error)),
  });
  if ((await first) === 0)
    return replace(
      list,
      empty(
        status === 'all'
          ? 'No documents yet: a news_stream stream writes them for a medium.'
          : `No documents are ${status} (${STATUS_HELP[status]}).`,
      ),
    );
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
          ['Title', 'Status', 'Medium', 'Updated'].map((name) => h('th', null, name)),
        ),
      ),
      rows,
    ),
    failure,
    h('p', { class: 'pager' }, button),
  );
}

export async function documentEditorPage(main, { id }) {
  replace(main, loading('the document'));
  let doc = await api('GET', `/documents/${encodeURIComponent(id)}`);
  const title = h('input', { type: 'text', name: 'title', value: doc.title, maxlength: 500 });
  const text = h('textarea', { name: 'text', rows: 18, value: doc.text });
  const status = h(
    'select',
    { name: 'status' },
    STATUSES.map((name) => h('option', { value: name }, `${name}: ${STATUS_HELP[name]}`)),
  );
  status.value = doc.status === 'new' ? 'edit' : doc.status;
  const save = h('button', { type: 'submit', class: 'primary' }, 'Save');
  const saved = h('p', { class: 'notice', role: 'status', hidden: true });
  const form = h(
    'form',
    { class: 'doc-editor', novalidate: true },
    h('div', { class: 'form-errors', role: 'alert', hidden: true }),
    field('title', 'Title', title),
    field('text', 'Text', text),
    field('status', 'Status after saving', status),
    h(
      'div',
      { class: 'actions' },
      save,
      h('a', { class: 'button', href: `#/documents${query({ status: doc.status })}` }, 'Back to the queue'),
    ),
    saved,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearIssues(form);
    saved.hidden = true;
    save.disabled = true;
    save.textContent = 'Saving…';
    try {
      doc = await api('PATCH', `/documents/${encodeURIComponent(id)}`, {
        title: title.value,
        text: text.value,
        status: status.value,
      });
      replace(saved, `Saved; the document is now ${doc.status}.`);
      saved.hidden = false;
    } catch (error) {
      if (error instanceof ApiFailure && error.issues.length > 0) showIssues(form, error.issues);
      else showFormError(form, error.message);
    } finally {
      save.disabled = false;
      save.textContent = 'Save';
    }
  });
  replace(
    main,
    h('h1', null, 'Edit document'),
    h(
      'p',
      { class: 'muted' },
      badge(doc.status),
      ` medium `,
      h('code', null, doc.mediaId),
      ' · written ',
      when(doc.createdAt),
      doc.url ? [' · about ', outLink(doc.url, doc.url)] : null,
      doc.googleDocUrl ? [' · ', outLink(doc.googleDocUrl, 'Google Doc')] : null,
    ),
    form,
  );
}

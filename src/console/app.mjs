// The console's shell: sign-in, navigation, and a hash router (routes live after `#`, so nothing the
// console shows, let alone a key, ends up in a request URL or a server log).
import { ApiFailure, api, session, whenUnauthorized } from './api.mjs';
import { h, replace } from './dom.mjs';
import { errorBox } from './errors.mjs';
import { documentEditorPage, documentsPage } from './documents.mjs';
import { itemsPage } from './items.mjs';
import { publicationsPage } from './publications.mjs';
import { streamFormPage } from './stream-form.mjs';
import { streamPage } from './stream-page.mjs';
import { streamsPage } from './streams.mjs';

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const sessionBox = document.getElementById('session');

const routes = [
  [/^\/streams$/, () => streamsPage],
  [/^\/streams\/new$/, () => streamFormPage, () => ({ mode: 'create' })],
  [/^\/streams\/([^/]+)\/edit$/, () => streamFormPage, (id) => ({ mode: 'edit', id })],
  [/^\/streams\/([^/]+)\/copy$/, () => streamFormPage, (id) => ({ mode: 'copy', id })],
  [/^\/streams\/([^/]+)$/, () => streamPage, (id) => ({ id })],
  [/^\/items$/, () => itemsPage],
  [/^\/documents$/, () => documentsPage],
  [/^\/documents\/(\d+)$/, () => documentEditorPage, (id) => ({ id })],
  [/^\/publications$/, () => publicationsPage],
];

const sections = [
  ['Streams', '#/streams', '/streams'],
  ['Items', '#/items', '/items'],
  ['Documents', '#/documents', '/documents'],
  ['Publications', '#/publications', '/publications'],
];

/** Stops the current page's live work (run events, polling) when another page opens. */
let pageController = new AbortController();

function parseHash() {
  const raw = location.hash.replace(/^#/, '') || '/streams';
  const [path, search = ''] = raw.split('?');
  return { path: decodeURI(path), params: Object.fromEntries(new URLSearchParams(search)) };
}

function renderNav(path) {
  replace(
    nav,
    sections.map(([label, href, prefix]) =>
      h(
        'a',
        {
          href,
          class: path.startsWith(prefix) ? 'active' : '',
          'aria-current': path.startsWith(prefix) ? 'page' : false,
        },
        label,
      ),
    ),
  );
}

function renderSession() {
  if (!session.info) return replace(sessionBox);
  if (!session.info.keyRequired)
    return replace(
      sessionBox,
      h(
        'span',
        { class: 'muted', title: 'API_KEYS is not set: the API answers only on this machine' },
        'No key needed (keyless API on loopback)',
      ),
    );
  return replace(
    sessionBox,
    h('span', { class: 'muted' }, 'Signed in with an API key'),
    h('button', { type: 'button', class: 'link', onclick: () => signOut() }, 'Sign out'),
  );
}

function signOut(reason) {
  session.key = null;
  session.info = null;
  renderSession();
  void showSignIn(reason);
}

async function route() {
  pageController.abort();
  pageController = new AbortController();
  if (!session.info) return;
  const { path, params } = parseHash();
  renderNav(path);
  for (const [pattern, page, args] of routes) {
    const match = path.match(pattern);
    if (!match) continue;
    const options = {
      ...(args ? args(...match.slice(1).map(decodeURIComponent)) : {}),
      params,
      signal: pageController.signal,
    };
    replace(main);
    try {
      await page()(main, options);
    } catch (error) {
      if (!pageController.signal.aborted) replace(main, errorBox(error));
    }
    return;
  }
  replace(
    main,
    h(
      'div',
      { class: 'empty' },
      h('p', null, `Nothing at ${path}.`),
      h('a', { href: '#/streams' }, 'Go to the streams'),
    ),
  );
}

async function showSignIn(reason) {
  replace(nav);
  const keyInput = h('input', {
    type: 'password',
    id: 'api-key',
    autocomplete: 'current-password',
    required: true,
    spellcheck: 'false',
  });
  const message = h('div', { class: 'form-errors', role: 'alert', hidden: !reason }, reason ?? '');
  const form = h(
    'form',
    { class: 'sign-in', novalidate: true },
    h('h1', null, 'Sign in'),
    h(
      'p',
      null,
      'This NewLoom API asks for a key (API_KEYS). An admin key can change streams; a read key can only look.',
    ),
    message,
    h('div', { class: 'field' }, h('label', { for: 'api-key' }, 'API key'), keyInput),
    h('p', { class: 'help' }, 'Kept in this tab only (sessionStorage) and sent as a bearer header, never in a URL.'),
    h('button', { type: 'submit', class: 'primary' }, 'Sign in'),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!keyInput.value.trim()) {
      replace(message, 'Enter a key.');
      message.hidden = false;
      return;
    }
    session.key = keyInput.value.trim();
    const failure = await start();
    if (failure) {
      replace(message, failure);
      message.hidden = false;
    }
  });
  replace(main, form);
  keyInput.focus();
}

/** Asks the API who we are; signs in, or says why not. Returns the problem to show, if any. */
async function start() {
  try {
    session.info = await api('GET', '/console/session');
  } catch (error) {
    if (error instanceof ApiFailure && error.status === 401) {
      const hadKey = Boolean(session.key);
      session.key = null;
      if (hadKey) return 'That key is not valid here.';
      await showSignIn();
      return undefined;
    }
    replace(main, errorBox(error), h('button', { type: 'button', onclick: () => void start() }, 'Try again'));
    return undefined;
  }
  renderSession();
  await route();
  return undefined;
}

whenUnauthorized(() => signOut('The API no longer accepts this key; sign in again.'));
window.addEventListener('hashchange', () => void route());
// A key kept from earlier in this tab that no longer works: back to the sign-in, saying why.
void start().then((problem) => problem && showSignIn(problem));

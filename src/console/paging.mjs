// How every list of the console pages: the API answers { <list>, nextCursor } (null on the last page),
// and the next page is asked for with cursor=nextCursor. Lists grow by "Load more" rather than offering
// page numbers: a cursor can only go forward, and rows inserted or deleted meanwhile never shift it.
import { api, query } from './api.mjs';
import { h } from './dom.mjs';

/**
 * A "Load more" button over `GET path`: the first page is asked for at once; each page's rows (the
 * answer's `listKey` array) go to `showRows(rows)`. The button shows while another page exists. `first`
 * resolves to the first page's number of rows (0: the list is empty, say so); a failing first page
 * rejects it (the caller shows it); a failing later page goes to `showError` and the button stays, to
 * try again.
 */
export function loadMore({ path, params, listKey, showRows, showError }) {
  const button = h('button', { type: 'button', class: 'load-more', hidden: true }, 'Load more');
  async function load(cursor) {
    button.disabled = true;
    button.textContent = 'Loading…';
    try {
      const page = await api('GET', `${path}${query({ ...params, cursor })}`);
      showRows(page[listKey]);
      button.hidden = !page.nextCursor;
      button.onclick = () => void load(page.nextCursor).catch(showError);
      return page[listKey].length;
    } finally {
      button.disabled = false;
      button.textContent = 'Load more';
    }
  }
  return { button, first: load(undefined) };
}

/** Every row of a list, page after page (for pickers; streams number in the thousands at most). */
export async function allPages(path, params, listKey) {
  const rows = [];
  let cursor;
  do {
    const page = await api('GET', `${path}${query({ ...params, cursor })}`);
    rows.push(...page[listKey]);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return rows;
}

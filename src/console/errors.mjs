import { ApiFailure } from './api.mjs';
import { h } from './dom.mjs';

/** A failure as the person at the console should read it. */
export function errorBox(error) {
  const failure = error instanceof ApiFailure ? error : new ApiFailure(0, 'CONSOLE', error?.message ?? String(error));
  const hint =
    failure.status === 503
      ? 'A dependency (Temporal or the database) is not answering; try again in a few seconds.'
      : failure.status === 403
        ? 'This key may only read; sign in with an admin key to change things.'
        : null;
  return h(
    'div',
    { class: 'error', role: 'alert' },
    h('strong', null, failure.message),
    failure.code ? h('span', { class: 'code' }, ` (${failure.code})`) : null,
    hint ? h('p', null, hint) : null,
  );
}

// Talks to the NewLoom API of the same origin. The key lives in sessionStorage (gone when the tab
// closes) and travels only in the Authorization header, never in a URL.

const KEY_STORAGE = 'newloom.apiKey';

/** A refused or failed request, as the API described it: status, stable code, message, field issues. */
export class ApiFailure extends Error {
  constructor(status, code, message, issues = []) {
    super(message);
    this.status = status;
    this.code = code;
    this.issues = issues;
  }
}

export const session = {
  get key() {
    return sessionStorage.getItem(KEY_STORAGE);
  },
  set key(value) {
    if (value) sessionStorage.setItem(KEY_STORAGE, value);
    else sessionStorage.removeItem(KEY_STORAGE);
  },
  /** What GET /console/session answered: keyRequired, temporalUiUrl, namespace. */
  info: null,
};

/** Called on any 401: the key is gone or wrong, so the console goes back to the sign-in. */
let onUnauthorized = () => undefined;
export const whenUnauthorized = (handler) => (onUnauthorized = handler);

function headers(extra) {
  const result = { accept: 'application/json', ...extra };
  const key = session.key;
  if (key) result.authorization = `Bearer ${key}`;
  return result;
}

async function failureOf(response) {
  const text = await response.text().catch(() => '');
  let error;
  try {
    error = JSON.parse(text).error;
  } catch {
    error = undefined;
  }
  const message =
    error?.message ??
    (response.status >= 500 ? 'the API failed; see its log' : text.slice(0, 200) || response.statusText);
  return new ApiFailure(response.status, error?.code ?? `HTTP_${response.status}`, message, error?.issues ?? []);
}

/** One JSON request; resolves with the answer (null for 204), rejects with an ApiFailure. */
export async function api(method, path, body) {
  let response;
  try {
    response = await fetch(path, {
      method,
      headers: headers(body === undefined ? {} : { 'content-type': 'application/json' }),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiFailure(0, 'NETWORK', 'the API did not answer: is NewLoom running?');
  }
  if (!response.ok) {
    const failure = await failureOf(response);
    if (response.status === 401 && path !== '/console/session') onUnauthorized(failure);
    throw failure;
  }
  if (response.status === 204) return null;
  return response.json();
}

/** A query string from the set values of an object. */
export function query(params) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params))
    if (value !== undefined && value !== null && value !== '') search.set(name, value);
  const text = search.toString();
  return text ? `?${text}` : '';
}

/**
 * Follows GET /runs/:id/events. EventSource cannot send a header, and the key must not go in the URL,
 * so this reads the Server-Sent Events from a fetch body. Calls onEvent(name, data) per event; resolves
 * when the API ends the stream (after `end`), rejects on a failure; `signal` stops it.
 */
export async function followRun(runId, onEvent, signal) {
  const response = await fetch(`/runs/${encodeURIComponent(runId)}/events`, {
    headers: headers({ accept: 'text/event-stream' }),
    signal,
  });
  if (!response.ok) throw await failureOf(response);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let name = 'message';
      const data = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) name = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
      }
      let parsed = null;
      try {
        parsed = JSON.parse(data.join('\n'));
      } catch {
        // a malformed event still tells its name
      }
      onEvent(name, parsed);
    }
  }
}

/** The run in the Temporal Web UI. */
export function temporalRunUrl(runId) {
  const info = session.info ?? { temporalUiUrl: 'http://127.0.0.1:8233', namespace: 'default' };
  return `${info.temporalUiUrl}/namespaces/${encodeURIComponent(info.namespace)}/workflows/${encodeURIComponent(runId)}`;
}

import type { ApiClient } from './api-client.js';
import type { StreamView } from './api-types.js';
import { ApiRequestError } from './errors.js';

const PAGE = 500;

/**
 * A stream named on the command line by its id or by its name. The API looks streams up by id only,
 * so a name is found by paging through GET /streams (streams number in the thousands at most).
 */
export async function resolveStream(api: ApiClient, reference: string): Promise<StreamView> {
  try {
    return await api.get<StreamView>(`/streams/${encodeURIComponent(reference)}`);
  } catch (error) {
    if (!(error instanceof ApiRequestError && error.status === 404)) throw error;
  }
  for await (const streams of streamPages(api)) {
    const named = streams.find((stream) => stream.name === reference);
    if (named) return named;
  }
  throw new ApiRequestError(404, 'NOT_FOUND', `no stream has the id or name ${JSON.stringify(reference)}`);
}

/** Every stream, page by page. */
export async function allStreams(api: ApiClient): Promise<StreamView[]> {
  const found: StreamView[] = [];
  for await (const streams of streamPages(api)) found.push(...streams);
  return found;
}

/** The pages of GET /streams, newest first, following each page's nextCursor until it is null. */
async function* streamPages(api: ApiClient): AsyncGenerator<StreamView[]> {
  let cursor: string | undefined;
  do {
    const page = await api.get<{ streams: StreamView[]; nextCursor: string | null }>('/streams', {
      limit: PAGE,
      cursor,
    });
    yield page.streams;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}

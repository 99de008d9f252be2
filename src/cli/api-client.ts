import { ApiRequestError, ApiUnreachableError, type FieldIssue } from './errors.js';

/** Where the CLI finds the API; matches the API's own defaults (API_HOST 127.0.0.1, API_PORT 3000 in src/config.ts). */
export const DEFAULT_API_URL = 'http://127.0.0.1:3000';

export interface ApiSettings {
  baseUrl: string;
  /** Sent as `Authorization: Bearer <key>`; a keyless API (the local embedded stack) needs none. */
  apiKey: string | undefined;
}

export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  accept?: string;
}

/** A thin HTTP client for the NewLoom API: JSON in and out, the API's error body turned into ApiRequestError. */
export class ApiClient {
  constructor(private readonly settings: ApiSettings) {}

  get baseUrl(): string {
    return this.settings.baseUrl;
  }

  url(path: string, query: Query = {}): string {
    const url = new URL(path.replace(/^\//, ''), this.settings.baseUrl.replace(/\/?$/, '/'));
    for (const [name, value] of Object.entries(query))
      if (value !== undefined) url.searchParams.set(name, String(value));
    return url.toString();
  }

  /** The raw response of a successful request, for reading a body as a stream (Server-Sent Events). */
  async open(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
    const url = this.url(path, options.query);
    const headers: Record<string, string> = { accept: options.accept ?? 'application/json' };
    if (this.settings.apiKey) headers.authorization = `Bearer ${this.settings.apiKey}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers,
        body: options.body === undefined ? null : JSON.stringify(options.body),
        signal: options.signal ?? null,
      });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      throw new ApiUnreachableError(this.settings.baseUrl, networkReason(error));
    }
    if (!response.ok) throw await errorFrom(response);
    return response;
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const response = await this.open(method, path, options);
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    if (text === '') return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      // A 2xx that is not JSON is some other server (a proxy's page, a wrong port), not the NewLoom API.
      throw new ApiRequestError(
        response.status,
        'NOT_JSON',
        `${method} ${path} answered ${response.headers.get('content-type') ?? 'no content type'}, not JSON: is ${this.settings.baseUrl} the NewLoom API?`,
      );
    }
  }

  get<T>(path: string, query?: Query): Promise<T> {
    return this.request<T>('GET', path, query ? { query } : {});
  }

  post<T>(path: string, body?: unknown, query?: Query): Promise<T> {
    return this.request<T>('POST', path, { body, ...(query ? { query } : {}) });
  }
}

/** fetch hides the reason in `cause` (ECONNREFUSED, ENOTFOUND...): that is the part worth printing. */
function networkReason(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause as { code?: unknown; message?: unknown } | undefined;
    if (cause && typeof cause.code === 'string') return cause.code;
    if (cause && typeof cause.message === 'string') return cause.message;
    return error.message;
  }
  return String(error);
}

interface ErrorBody {
  error?: { code?: unknown; message?: unknown; issues?: unknown };
}

async function errorFrom(response: Response): Promise<ApiRequestError> {
  const text = await response.text().catch(() => '');
  let body: ErrorBody | undefined;
  try {
    body = JSON.parse(text) as ErrorBody;
  } catch {
    body = undefined;
  }
  const error = body?.error;
  const code = typeof error?.code === 'string' ? error.code : `HTTP_${response.status}`;
  const message =
    typeof error?.message === 'string' ? error.message : text.slice(0, 200) || response.statusText || 'no message';
  const issues = Array.isArray(error?.issues) ? (error.issues as FieldIssue[]) : [];
  return new ApiRequestError(response.status, code, message, issues);
}

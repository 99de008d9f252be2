import { FailureType } from '../../schemas/failure-types.js';
import { permanentFailure, transientFailure } from '../failures.js';
import { classifyStatus } from './classify-status.js';
import { decodeBody } from './decode-body.js';
import { parseRetryAfter } from './retry-after.js';

export interface HttpSettings {
  userAgent: string;
  /** Whole request, headers and body, in milliseconds. */
  timeoutMs: number;
  /** Bodies beyond this are cut off while streaming, never buffered whole first. */
  maxBodyBytes: number;
}

export interface FetchedBody {
  /** The address after redirects: relative links resolve against it. */
  url: string;
  status: number;
  contentType: string | null;
  bytes: Uint8Array;
}

export interface FetchedText extends Omit<FetchedBody, 'bytes'> {
  body: string;
}

/** GETs a URL as text, decoded with the charset the response declares (see `fetchBody`). */
export async function fetchText(url: string, signal: AbortSignal, settings: HttpSettings, accept: string): Promise<FetchedText> {
  const { bytes, ...response } = await fetchBody(url, signal, settings, accept);
  return { ...response, body: decodeBody(bytes, response.contentType) };
}

/**
 * GETs a URL's body. `signal` is the activity's cancellation: aborting it closes the connection at once
 * and rethrows the activity's CancelledFailure. Every other problem becomes a typed ApplicationFailure
 * (retryable or not) so the run's retry policy does the right thing without knowing HTTP.
 */
export async function fetchBody(url: string, signal: AbortSignal, settings: HttpSettings, accept: string): Promise<FetchedBody> {
  const requestSignal = AbortSignal.any([signal, AbortSignal.timeout(settings.timeoutMs)]);
  let response: Response;
  try {
    response = await fetch(url, {
      signal: requestSignal,
      redirect: 'follow',
      headers: { 'user-agent': settings.userAgent, accept },
    });
  } catch (error) {
    throw toFetchFailure(error, url, signal, settings);
  }

  const statusClass = classifyStatus(response.status);
  if (statusClass !== 'ok') {
    await response.body?.cancel().catch(() => undefined);
    const message = `GET ${url} answered HTTP ${response.status}`;
    const details = { url, status: response.status };
    if (statusClass === 'transient') {
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
      throw transientFailure(FailureType.HttpTransient, message, { retryAfterMs, details });
    }
    throw permanentFailure(FailureType.HttpPermanent, message, details);
  }

  try {
    const bytes = await readCapped(response, settings.maxBodyBytes, url);
    return { url: response.url || url, status: response.status, contentType: response.headers.get('content-type'), bytes };
  } catch (error) {
    throw toFetchFailure(error, url, signal, settings);
  }
}

async function readCapped(response: Response, maxBytes: number, url: string): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw bodyTooLarge(url, maxBytes);
  }
  if (!response.body) return new Uint8Array();
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw bodyTooLarge(url, maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

function bodyTooLarge(url: string, maxBytes: number) {
  return permanentFailure(FailureType.BodyTooLarge, `GET ${url}: body larger than ${maxBytes} bytes`, { url, maxBytes });
}

function toFetchFailure(error: unknown, url: string, cancellation: AbortSignal, settings: HttpSettings): unknown {
  // The activity was cancelled: surface Temporal's own CancelledFailure so the attempt reports "cancelled".
  if (cancellation.aborted) return cancellation.reason;
  if (isApplicationFailureLike(error)) return error;
  if (error instanceof DOMException && error.name === 'TimeoutError') {
    return transientFailure(FailureType.Network, `GET ${url} timed out after ${settings.timeoutMs} ms`, { details: { url } });
  }
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  const message = error instanceof Error ? error.message : String(error);
  return transientFailure(FailureType.Network, `GET ${url} failed: ${message}${cause}`, { details: { url } });
}

function isApplicationFailureLike(error: unknown): boolean {
  return error instanceof Error && error.name === 'ApplicationFailure';
}

import type { Logger } from 'pino';
import { Agent, fetch, type Response } from 'undici';
import { FailureType } from '../../schemas/failure-types.js';
import { permanentFailure, transientFailure } from '../failures.js';
import { AddressGuard } from './address-guard.js';
import { classifyStatus } from './classify-status.js';
import { decodeBody } from './decode-body.js';
import { guardedConnector } from './guarded-connector.js';
import { abortableDelay, InProcessHostGate, type HostGate } from './host-gate.js';
import { refusalFailure } from './refusal-failure.js';
import { parseRetryAfter } from './retry-after.js';
import { ROBOTS_CLAIM_MAX_MS, ROBOTS_CLAIM_POLL_MS, ROBOTS_MAX_BYTES, ROBOTS_TTL_MS, RobotsCache } from './robots.js';

export interface HttpSettings {
  userAgent: string;
  /** Whole request (queueing for the host, redirects, headers and body), in milliseconds. */
  timeoutMs: number;
  /** Opening a connection (TCP and TLS), in milliseconds; a host that does not answer fails fast. @default 10000 */
  connectTimeoutMs?: number;
  /** Bodies beyond this are cut off while streaming, never buffered whole first. It counts the decoded body: fetch inflates gzip, deflate and br as it streams, so a compression bomb stops here too. */
  maxBodyBytes: number;
  /** @default 5 */
  maxRedirects?: number;
  /** Requests in flight to one host, across all streams of the worker. @default 2 */
  hostConcurrency?: number;
  /** Least time between two request starts to one host, in ms. @default 1000 */
  hostMinIntervalMs?: number;
  /**
   * Hosts that may be private addresses (loopback, RFC 1918, link-local...), as `host` or `host:port`:
   * local fixtures, intranet feeds. Everything else that is, or resolves to, one is refused. @default []
   */
  allowedPrivateHosts?: readonly string[];
}

/**
 * robots.txt answers kept where every worker of an installation reads them, so one fetch per origin
 * serves them all. `body` null: the site has none (or it could not be read), so everything is allowed.
 */
export interface RobotsAnswerStore {
  /** The answer fetched for `origin` no longer than `maxAgeMs` ago, if any. */
  find(origin: string, maxAgeMs: number): Promise<{ body: string | null } | undefined>;
  save(origin: string, body: string | null): Promise<void>;
  /**
   * Ask to be the one that fetches `origin`'s robots.txt for the next `forMs`. False: another worker is
   * fetching it, so wait for its answer (`find`) rather than fetch it again. Stores without it let
   * every worker fetch.
   */
  claim?(origin: string, forMs: number): Promise<boolean>;
}

/** Politeness state held beyond this process; each one defaults to this process's own. */
export interface SharedPoliteness {
  gate?: HostGate | undefined;
  robotsAnswers?: RobotsAnswerStore | undefined;
}

export interface RequestOptions {
  accept: string;
  /** Check the site's robots.txt first (a stream may turn this off). @default true */
  respectRobots?: boolean;
  /** What the server said last time: sent as If-None-Match / If-Modified-Since, so an unchanged document answers 304. */
  validator?: { etag: string | null; lastModified: string | null } | undefined;
  /** A shorter deadline than the client's for this request, e.g. a task's own wait time. */
  timeoutMs?: number;
  /** A smaller body limit than the client's for this request. */
  maxBodyBytes?: number;
  /** Past the limit, keep what was read instead of failing (robots.txt, read like Google does). */
  truncateBody?: boolean;
}

export interface FetchedBody {
  /** The address after redirects: relative links resolve against it. */
  url: string;
  status: number;
  contentType: string | null;
  /** The Content-Language header as sent, unchecked; absent or null when there was none. */
  contentLanguage?: string | null;
  /** Empty for a 304. */
  bytes: Uint8Array;
  etag: string | null;
  lastModified: string | null;
}

export interface FetchedText extends Omit<FetchedBody, 'bytes'> {
  body: string;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * The one way activities reach the web. Politeness (per-host concurrency and spacing, robots.txt),
 * limits (time, body size, redirects) and failure classification live here, written once: tasks only
 * say what they want. `signal` is the activity's cancellation; aborting it closes the connection at once
 * and surfaces the activity's CancelledFailure.
 */
export class HttpClient {
  private readonly gate: HostGate;
  private readonly robots: RobotsCache;
  private readonly maxRedirects: number;
  private readonly dispatcher: Agent;
  /** Shared with nothing else: the browser pool builds its own from the same allow-list. */
  readonly guard: AddressGuard;

  constructor(
    readonly settings: HttpSettings,
    private readonly logger?: Logger,
    private readonly shared: SharedPoliteness = {},
  ) {
    this.gate = shared.gate ?? new InProcessHostGate(settings.hostConcurrency ?? 2, settings.hostMinIntervalMs ?? 1000);
    this.robots = new RobotsCache((robotsUrl, signal) => this.loadRobots(robotsUrl, signal));
    this.maxRedirects = settings.maxRedirects ?? 5;
    this.guard = new AddressGuard(settings.allowedPrivateHosts ?? []);
    this.dispatcher = new Agent({
      connect: guardedConnector(this.guard, { timeout: settings.connectTimeoutMs ?? 10_000 }),
    });
  }

  async getText(url: string, signal: AbortSignal, options: RequestOptions): Promise<FetchedText> {
    const { bytes, ...response } = await this.getBody(url, signal, options);
    return { ...response, body: decodeBody(bytes, response.contentType) };
  }

  async getBody(url: string, signal: AbortSignal, options: RequestOptions): Promise<FetchedBody> {
    const timeoutMs = Math.min(options.timeoutMs ?? this.settings.timeoutMs, this.settings.timeoutMs);
    const requestSignal = AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]);
    const visited = new Set<string>();
    let current = url;
    for (;;) {
      try {
        // Every hop: a redirect to data: or to 10.0.0.5 is refused like a first URL would be.
        this.guard.assertUrlWithoutLookup(new URL(current));
        if (
          options.respectRobots !== false &&
          !(await this.robots.isAllowed(current, this.settings.userAgent, requestSignal))
        ) {
          throw permanentFailure(
            FailureType.RobotsDisallowed,
            `${current} is disallowed by the site's robots.txt (the stream can set respect_robots_txt: false)`,
            { url: current },
          );
        }
        visited.add(current);
        const response = await this.send(current, requestSignal, options);
        if (response.kind === 'redirect') {
          const next = new URL(response.location, current).toString();
          if (visited.has(next) || visited.size > this.maxRedirects) {
            throw permanentFailure(
              FailureType.TooManyRedirects,
              `GET ${url}: ${visited.has(next) ? 'redirect loop' : `more than ${this.maxRedirects} redirects`} (last ${current} → ${next})`,
              { url },
            );
          }
          current = next;
          continue;
        }
        return response.body;
      } catch (error) {
        throw this.toFailure(error, current, signal, timeoutMs);
      }
    }
  }

  /**
   * Runs work that reaches `url` by other means (a browser page) under the same rules as a request:
   * robots.txt first, then a slot of the host's gate for as long as the work takes.
   */
  async politely<T>(url: string, signal: AbortSignal, respectRobots: boolean, work: () => Promise<T>): Promise<T> {
    // The browser dials by itself: its first URL is judged here (after DNS), the rest by the pool's routes.
    try {
      await this.guard.assertUrl(new URL(url));
    } catch (error) {
      throw (
        refusalFailure(error, url) ??
        transientFailure(FailureType.Network, `${url}: ${error instanceof Error ? error.message : String(error)}`, {
          details: { url },
        })
      );
    }
    if (respectRobots && !(await this.robots.isAllowed(url, this.settings.userAgent, signal))) {
      throw permanentFailure(
        FailureType.RobotsDisallowed,
        `${url} is disallowed by the site's robots.txt (the stream can set respect_robots_txt: false)`,
        { url },
      );
    }
    const release = await this.gate.acquire(new URL(url).host, signal);
    try {
      return await work();
    } finally {
      release();
    }
  }

  /** One request, holding a slot of the host's gate until its body is read. */
  private async send(
    url: string,
    signal: AbortSignal,
    options: RequestOptions,
  ): Promise<{ kind: 'redirect'; location: string } | { kind: 'body'; body: FetchedBody }> {
    const release = await this.gate.acquire(new URL(url).host, signal);
    try {
      const headers: Record<string, string> = { 'user-agent': this.settings.userAgent, accept: options.accept };
      if (options.validator?.etag) headers['if-none-match'] = options.validator.etag;
      if (options.validator?.lastModified) headers['if-modified-since'] = options.validator.lastModified;
      const response = await fetch(url, { signal, redirect: 'manual', headers, dispatcher: this.dispatcher });
      const validator = { etag: response.headers.get('etag'), lastModified: response.headers.get('last-modified') };
      const location = response.headers.get('location');
      if (REDIRECT_STATUSES.has(response.status) && location) {
        await response.body?.cancel().catch(() => undefined);
        return { kind: 'redirect', location };
      }
      const statusClass = classifyStatus(response.status);
      if (statusClass === 'not-modified' && options.validator) {
        await response.body?.cancel().catch(() => undefined);
        return { kind: 'body', body: { url, status: 304, contentType: null, bytes: new Uint8Array(), ...validator } };
      }
      if (statusClass !== 'ok') {
        await response.body?.cancel().catch(() => undefined);
        const message = `GET ${url} answered HTTP ${response.status}`;
        const details = { url, status: response.status };
        if (statusClass === 'transient') {
          throw transientFailure(FailureType.HttpTransient, message, {
            retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
            details,
          });
        }
        throw permanentFailure(FailureType.HttpPermanent, message, details);
      }
      const maxBytes = Math.min(options.maxBodyBytes ?? this.settings.maxBodyBytes, this.settings.maxBodyBytes);
      const bytes = await readCapped(response, maxBytes, url, options.truncateBody === true);
      return {
        kind: 'body',
        body: {
          url,
          status: response.status,
          contentType: response.headers.get('content-type'),
          contentLanguage: response.headers.get('content-language'),
          bytes,
          ...validator,
        },
      };
    } finally {
      release();
    }
  }

  private async loadRobots(robotsUrl: string, signal: AbortSignal): Promise<string | null> {
    const { origin } = new URL(robotsUrl);
    const shared = (await this.findSharedRobots(origin)) ?? (await this.awaitOthersRobots(origin, signal));
    if (shared) return shared.body;
    let body: string | null;
    try {
      ({ body } = await this.getText(robotsUrl, signal, {
        accept: 'text/plain',
        respectRobots: false,
        maxBodyBytes: ROBOTS_MAX_BYTES,
        truncateBody: true,
      }));
    } catch (error) {
      if (signal.aborted) throw error;
      this.logger?.debug({ robotsUrl, err: error }, 'robots.txt unavailable: everything allowed');
      body = null;
    }
    await this.shared.robotsAnswers?.save(origin, body).catch((error: unknown) => {
      // The answer still serves this process; the other workers fetch their own.
      this.logger?.warn({ robotsUrl, err: error }, 'robots.txt answer not shared');
    });
    return body;
  }

  /**
   * When another worker has claimed this origin's robots.txt, wait (a bounded time) for the answer it
   * saves; undefined means this process fetches it itself: the claim was ours, lapsed, or failed.
   */
  private async awaitOthersRobots(origin: string, signal: AbortSignal): Promise<{ body: string | null } | undefined> {
    const store = this.shared.robotsAnswers;
    if (!store?.claim) return undefined;
    const waitMs = Math.min(this.settings.timeoutMs, ROBOTS_CLAIM_MAX_MS);
    let ours: boolean;
    try {
      ours = await store.claim(origin, waitMs);
    } catch (error) {
      this.logger?.warn({ origin, err: error }, 'robots.txt claim failed: fetching it here');
      return undefined;
    }
    // A worker that saved its answer just before our claim leaves it to be found, not fetched again.
    if (ours) return await this.findSharedRobots(origin);
    const deadline = Date.now() + waitMs;
    while (Date.now() < deadline) {
      await abortableDelay(ROBOTS_CLAIM_POLL_MS, signal);
      const answer = await this.findSharedRobots(origin);
      if (answer) return answer;
    }
    return undefined;
  }

  private async findSharedRobots(origin: string): Promise<{ body: string | null } | undefined> {
    try {
      return await this.shared.robotsAnswers?.find(origin, ROBOTS_TTL_MS);
    } catch (error) {
      this.logger?.warn({ origin, err: error }, 'shared robots.txt answers unreadable: fetching it here');
      return undefined;
    }
  }

  private toFailure(error: unknown, url: string, cancellation: AbortSignal, timeoutMs: number): unknown {
    // The activity was cancelled: surface Temporal's own CancelledFailure so the attempt reports "cancelled".
    if (cancellation.aborted) return cancellation.reason;
    if (error instanceof Error && error.name === 'ApplicationFailure') return error;
    const refusal = refusalFailure(error, url);
    if (refusal) return refusal;
    if ((error instanceof DOMException || error instanceof Error) && error.name === 'TimeoutError') {
      return transientFailure(FailureType.Network, `GET ${url} timed out after ${timeoutMs} ms`, { details: { url } });
    }
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    const message = error instanceof Error ? error.message : String(error);
    return transientFailure(FailureType.Network, `GET ${url} failed: ${message}${cause}`, { details: { url } });
  }
}

async function readCapped(response: Response, maxBytes: number, url: string, truncate: boolean): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > maxBytes && !truncate) {
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
      if (!truncate) throw bodyTooLarge(url, maxBytes);
      chunks.push(value.subarray(0, value.byteLength - (total - maxBytes)));
      break;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

function bodyTooLarge(url: string, maxBytes: number) {
  return permanentFailure(FailureType.BodyTooLarge, `GET ${url}: body larger than ${maxBytes} bytes`, {
    url,
    maxBytes,
  });
}

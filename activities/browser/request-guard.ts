import type { APIResponse, BrowserContext, Request, Route } from 'playwright-core';
import type { Logger } from 'pino';
import type { ApplicationFailure } from '@temporalio/activity';
import type { AddressGuard } from '../http/address-guard.js';
import { refusalFailure } from '../http/refusal-failure.js';

/** Schemes a page may use for its own parts (an inline image, a script's blob): they reach no host. */
const LOCAL_SUBRESOURCE_SCHEMES = new Set(['data:', 'blob:', 'about:']);

/** What the guard refused in one context, for the pool to turn a refused navigation into its failure. */
export interface ContextRefusals {
  /** The main frame's latest navigation, when the guard refused it (cleared by the next one allowed). */
  refusedNavigation: ApplicationFailure | null;
}

/**
 * Puts the private-address guard in front of everything a browser context requests: every request of
 * every page and frame (documents, redirect hops, scripts, images, iframes, fetch/XHR) and WebSockets.
 * A refused request is aborted before Chromium sends it. Service workers are blocked by the pool, so no
 * request escapes the routes; a document's redirect hops are judged before Chromium follows them.
 *
 * Chromium resolves names itself after the route lets a request go, so unlike the HTTP client's
 * connector this check and the connection may see different DNS answers (a rebinding window of
 * milliseconds); it stops a page's links to private hosts, not a DNS server under an attacker's control.
 */
export async function guardContext(
  context: BrowserContext,
  guard: AddressGuard,
  logger?: Logger,
): Promise<ContextRefusals> {
  const refusals: ContextRefusals = { refusedNavigation: null };
  // Per scheme and host for the context's life (one activity): a page asks the same hosts many times.
  const refusalsByHost = new Map<string, Promise<unknown>>();

  /** The failure that refuses `rawUrl`, or null to let it go. */
  const judge = async (rawUrl: string, mayBeLocal: boolean): Promise<ApplicationFailure | null> => {
    let url: URL;
    try {
      url = new URL(rawUrl);
    } catch {
      return null;
    }
    if (mayBeLocal && LOCAL_SUBRESOURCE_SCHEMES.has(url.protocol)) return null;
    // A WebSocket goes to the same hosts as http(s) would.
    const asHttp = new URL(url.href.replace(/^ws(s?):/, 'http$1:'));
    const key = `${asHttp.protocol}//${asHttp.host}`;
    let refusal = refusalsByHost.get(key);
    if (!refusal) {
      refusal = guard.assertUrl(asHttp).then(
        () => null,
        (error: unknown) => error,
      );
      refusalsByHost.set(key, refusal);
    }
    // A name that does not resolve is Chromium's to report (refusalFailure gives null for it).
    const error = await refusal;
    return error === null ? null : refusalFailure(error, rawUrl);
  };

  await context.route('**/*', async (route) => {
    const request = route.request();
    const topLevel = isTopLevelNavigation(request);
    let failure = await judge(request.url(), !topLevel);
    if (!failure && request.resourceType() === 'document') {
      failure = await fetchDocumentHopByHop(route, (hop) => judge(hop, false));
      if (topLevel) refusals.refusedNavigation = failure;
      if (failure)
        logger?.warn(
          { component: 'browser', url: request.url().slice(0, 200), resourceType: 'document', reason: failure.message },
          'browser redirect refused',
        );
      return;
    }
    if (topLevel) refusals.refusedNavigation = failure;
    if (!failure) return route.continue();
    logger?.warn(
      {
        component: 'browser',
        url: request.url().slice(0, 200),
        resourceType: request.resourceType(),
        reason: failure.message,
      },
      'browser request refused',
    );
    return route.abort('blockedbyclient');
  });

  await context.routeWebSocket(/.*/, async (socket) => {
    const failure = await judge(socket.url(), false);
    if (!failure) {
      socket.connectToServer();
      return;
    }
    logger?.warn(
      { component: 'browser', url: socket.url().slice(0, 200), resourceType: 'websocket', reason: failure.message },
      'browser request refused',
    );
    // 1008: policy violation. The page sees a socket that closes; no connection was ever opened.
    await socket.close({ code: 1008, reason: 'refused by the private-address guard' });
  });

  return refusals;
}

/** Redirect hops of one document we judge before Chromium follows them. */
const MAX_DOCUMENT_HOPS = 10;

/**
 * Playwright never routes a redirect hop (it continues them itself), so a document (a page, an iframe)
 * is fetched here first, one hop at a time, each hop judged. No redirect: that answer is handed to
 * Chromium as is. A chain with every hop allowed: Chromium is let go and follows it itself (the hops
 * are asked twice; a server answering the second time differently could still steer it). A refused
 * hop: the document is aborted like a refused first request.
 */
async function fetchDocumentHopByHop(
  route: Route,
  judge: (url: string) => Promise<ApplicationFailure | null>,
): Promise<ApplicationFailure | null> {
  let url = route.request().url();
  for (let hop = 0; hop < MAX_DOCUMENT_HOPS; hop += 1) {
    let response: APIResponse;
    try {
      response = await route.fetch(hop === 0 ? { maxRedirects: 0 } : { url, method: 'GET', maxRedirects: 0 });
    } catch {
      // Unreachable, reset, or the context closed under it: the page sees a network error.
      await route.abort('failed').catch(() => undefined);
      return null;
    }
    const location = response.status() >= 300 && response.status() < 400 ? response.headers()['location'] : undefined;
    if (!location) {
      if (hop === 0) await route.fulfill({ response });
      else await route.continue();
      return null;
    }
    url = new URL(location, url).href;
    const failure = await judge(url);
    if (failure) {
      await route.abort('blockedbyclient');
      return failure;
    }
  }
  await route.continue();
  return null;
}

/** A page's own document (not an iframe's): the one navigation that must be http(s) and whose refusal fails the task. */
function isTopLevelNavigation(request: Request): boolean {
  if (!request.isNavigationRequest()) return false;
  try {
    return request.frame().parentFrame() === null;
  } catch {
    // Requests of a worker have no frame.
    return false;
  }
}

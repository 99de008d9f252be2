import type { Response } from 'playwright-core';
import { FailureType } from '../../schemas/failure-types.js';
import { permanentFailure, transientFailure, validationFailure } from '../failures.js';
import { NoBrowserError } from './browser-pool.js';
import { BAD_SELECTOR } from './page-scripts.js';

/** A page that answered with an error status fails like a fetch would: 429/5xx retried, other 4xx not. */
export function assertPageLoaded(response: Response | null, url: string): void {
  const status = response?.status() ?? 0;
  if (status < 400) return;
  const message = `GET ${url} answered HTTP ${status}`;
  throw status === 429 || status >= 500
    ? transientFailure(FailureType.HttpTransient, message, { details: { url, status } })
    : permanentFailure(FailureType.HttpPermanent, message, { url, status });
}

/**
 * Turns what Playwright throws into failures with intent. `selectorField` names the config field to
 * blame for a selector the page cannot parse.
 */
export function toBrowserFailure(error: unknown, url: string, selectorField: string): unknown {
  if (error instanceof NoBrowserError) return permanentFailure('NoBrowserError', error.message);
  // By name, not class: importing Playwright's classes would load all of it into every worker.
  if (error instanceof Error && error.name === 'TimeoutError')
    return transientFailure(
      FailureType.Network,
      `${url}: the page did not become ready in time (${firstLine(error.message)})`,
    );
  if (error instanceof Error && BAD_SELECTOR.test(error.message))
    return validationFailure(`${selectorField}: the page cannot use this selector (${firstLine(error.message)})`);
  if (error instanceof Error && /net::ERR_|Navigation failed/.test(error.message))
    return transientFailure(FailureType.Network, `${url}: ${firstLine(error.message)}`);
  return error;
}

const firstLine = (message: string) => message.split('\n')[0] ?? message;

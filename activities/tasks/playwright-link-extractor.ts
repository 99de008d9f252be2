import { Context } from '@temporalio/activity';
import { z } from 'zod';
import { errors as playwrightErrors } from 'playwright-core';
import { FailureType } from '../../schemas/failure-types.js';
import type { CollectedItem } from '../../schemas/stream-run.js';
import { playwrightLinkExtractorConfigSchema } from '../../schemas/tasks/playwright-link-extractor.js';
import { describeFieldIssues, toFieldIssues } from '../../schemas/validation.js';
import { NoBrowserError } from '../browser/browser-pool.js';
import { canonicalizeUrl } from '../canonical-url.js';
import { permanentFailure, transientFailure, validationFailure } from '../failures.js';
import { keepHeartbeating } from '../heartbeat.js';
import type { TaskActivityFactory } from './task-activity.js';

/** Navigation gets most of an attempt; what is left is for extraction and saving the heartbeat. */
const NAVIGATION_TIMEOUT_MS = 60_000;

/**
 * Runs in the page. `a.href` is already absolute, resolved against the page's URL (and any <base>).
 * Kept as source text: this code runs in the browser, not in Node, and its answer is checked below.
 */
const extractLinksScript = (selector: string) => `
  Array.from(document.querySelectorAll(${JSON.stringify(selector)}), (anchor) => ({
    href: typeof anchor.href === 'string' ? anchor.href : '',
    text: (anchor.textContent || '').replace(/\\s+/g, ' ').trim(),
  }))`;

const extractedLinks = z.array(z.object({ href: z.string(), text: z.string() }));

export const createPlaywrightLinkExtractorActivity: TaskActivityFactory = (deps) =>
  async function playwrightLinkExtractor(rawConfig) {
    const parsed = playwrightLinkExtractorConfigSchema.safeParse(rawConfig);
    if (!parsed.success) throw validationFailure(describeFieldIssues(toFieldIssues(parsed.error, 'config')));
    const config = parsed.data;
    const context = Context.current();
    const browser = deps.browser;
    if (!browser) throw permanentFailure('NoBrowserError', 'this worker has no browser configured (CHROMIUM_PATH)');
    let phase = 'waiting for a page';
    const stopHeartbeating = keepHeartbeating(() => ({ phase }));
    try {
      const links = await deps.http.politely(config.url, context.cancellationSignal, config.respect_robots_txt, () =>
        browser.withPage(context.cancellationSignal, async (page) => {
          phase = 'navigating';
          const response = await page.goto(config.url, { waitUntil: config.wait_until, timeout: NAVIGATION_TIMEOUT_MS });
          const status = response?.status() ?? 0;
          if (status >= 400) {
            const message = `GET ${config.url} answered HTTP ${status}`;
            throw status === 429 || status >= 500 ? transientFailure(FailureType.HttpTransient, message) : permanentFailure(FailureType.HttpPermanent, message, { url: config.url, status });
          }
          phase = 'extracting';
          return extractedLinks.parse(await page.evaluate(extractLinksScript(config.link_selector)));
        }),
      );
      const seen = new Set<string>();
      const items: CollectedItem[] = [];
      for (const link of links) {
        const canonicalUrl = link.href ? canonicalizeUrl(link.href) : null;
        if (!canonicalUrl || seen.has(canonicalUrl) || items.length >= config.max_links) continue;
        seen.add(canonicalUrl);
        items.push({ url: link.href, canonicalUrl, title: link.text || null, summary: null, author: null, publishedAt: null });
      }
      context.log.info('links extracted', { url: config.url, matched: links.length, items: items.length });
      return { items, found: links.length, attempt: context.info.attempt };
    } catch (error) {
      if (context.cancellationSignal.aborted) throw context.cancellationSignal.reason;
      if (error instanceof NoBrowserError) throw permanentFailure('NoBrowserError', error.message);
      if (error instanceof playwrightErrors.TimeoutError) throw transientFailure(FailureType.Network, `${config.url}: the page did not become ready in time (${error.message.split('\n')[0]})`);
      if (error instanceof Error && /net::ERR_|Navigation failed/.test(error.message)) throw transientFailure(FailureType.Network, `${config.url}: ${error.message.split('\n')[0]}`);
      if (error instanceof Error && /is not a valid selector|SyntaxError|querySelectorAll/.test(error.message)) throw validationFailure(`config.link_selector: not a valid CSS selector (${config.link_selector})`);
      throw error;
    } finally {
      stopHeartbeating();
    }
  };

import { Context } from '@temporalio/activity';
import { playwrightLinkExtractorConfigSchema } from '../../schemas/tasks/playwright-link-extractor.js';
import { describeFieldIssues, toFieldIssues } from '../../schemas/validation.js';
import { assertPageLoaded, toBrowserFailure } from '../browser/browser-failures.js';
import { linksToItems } from '../browser/links-to-items.js';
import { linksAnswer, linksScript } from '../browser/page-scripts.js';
import { permanentFailure, validationFailure } from '../failures.js';
import { keepHeartbeating } from '../heartbeat.js';
import type { TaskActivityFactory } from './task-activity.js';

/** Navigation gets most of an attempt; what is left is for extraction and saving the heartbeat. */
const NAVIGATION_TIMEOUT_MS = 60_000;

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
          assertPageLoaded(
            await page.goto(config.url, { waitUntil: config.wait_until, timeout: NAVIGATION_TIMEOUT_MS }),
            config.url,
          );
          phase = 'extracting';
          return linksAnswer.parse(await page.evaluate(linksScript(config.link_selector)));
        }),
      );
      const items = linksToItems(links, config.max_links);
      context.log.info('links extracted', { url: config.url, matched: links.length, items: items.length });
      return { items, found: links.length, attempt: context.info.attempt };
    } catch (error) {
      if (context.cancellationSignal.aborted) throw context.cancellationSignal.reason;
      throw toBrowserFailure(error, config.url, 'config.link_selector');
    } finally {
      stopHeartbeating();
    }
  };

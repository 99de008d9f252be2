import { Context } from '@temporalio/activity';
import type { CollectedItem } from '../../schemas/stream-run.js';
import { articleSearcherConfigSchema } from '../../schemas/tasks/article-searcher.js';
import { describeFieldIssues, toFieldIssues } from '../../schemas/validation.js';
import { assertPageLoaded, toBrowserFailure } from '../browser/browser-failures.js';
import { linksToItems } from '../browser/links-to-items.js';
import { BAD_SELECTOR, linksAnswer, linksScript, textAnswer, textScript } from '../browser/page-scripts.js';
import { permanentFailure, validationFailure } from '../failures.js';
import { keepHeartbeating } from '../heartbeat.js';
import { findText } from '../text/find-text.js';
import type { TaskActivityFactory } from './task-activity.js';

const PAGE_TIMEOUT_MS = 45_000;

/**
 * article_searcher: the listing page gives candidate links; each candidate is visited in turn (through
 * the host gate and robots.txt like any fetch) and kept when its article element contains the text.
 * One article that fails to load is skipped with a warning; the listing failing fails the attempt.
 */
export const createArticleSearcherActivity: TaskActivityFactory = (deps) =>
  async function articleSearcher(rawConfig) {
    const parsed = articleSearcherConfigSchema.safeParse(rawConfig);
    if (!parsed.success) throw validationFailure(describeFieldIssues(toFieldIssues(parsed.error, 'config')));
    const config = parsed.data;
    const context = Context.current();
    const signal = context.cancellationSignal;
    const browser = deps.browser;
    if (!browser) throw permanentFailure('NoBrowserError', 'this worker has no browser configured (CHROMIUM_PATH)');
    const progress = { phase: 'waiting for a page', visited: 0, matched: 0 };
    const stopHeartbeating = keepHeartbeating(() => progress);
    try {
      return await browser.withPage(signal, async (page) => {
        progress.phase = 'reading the listing';
        const candidates = await deps.http.politely(config.url, signal, config.respect_robots_txt, async () => {
          assertPageLoaded(await page.goto(config.url, { waitUntil: 'load', timeout: PAGE_TIMEOUT_MS }), config.url);
          return linksToItems(
            linksAnswer.parse(await page.evaluate(linksScript(config.link_selector, config.link_selector_type))),
            config.max_links,
          );
        });
        progress.phase = 'searching articles';
        const items: CollectedItem[] = [];
        for (const candidate of candidates) {
          const excerpt = await searchArticle(candidate.url).catch((error: unknown) => {
            if (signal.aborted) throw signal.reason;
            if (error instanceof Error && BAD_SELECTOR.test(error.message))
              throw validationFailure(
                `config.article_selector: the page cannot use this selector (${config.article_selector})`,
              );
            context.log.warn('article skipped', {
              url: candidate.url,
              error: error instanceof Error ? error.message.split('\n')[0] : String(error),
            });
            return undefined;
          });
          progress.visited += 1;
          if (excerpt === undefined) continue;
          progress.matched += 1;
          items.push({ ...candidate, summary: excerpt });
        }
        context.log.info('articles searched', {
          url: config.url,
          candidates: candidates.length,
          matched: items.length,
        });
        return { items, found: candidates.length, attempt: context.info.attempt };

        async function searchArticle(url: string): Promise<string | undefined> {
          return deps.http.politely(url, signal, config.respect_robots_txt, async () => {
            assertPageLoaded(await page.goto(url, { waitUntil: 'domcontentloaded', timeout: PAGE_TIMEOUT_MS }), url);
            const text = textAnswer.parse(
              await page.evaluate(textScript(config.article_selector, config.article_selector_type)),
            );
            return text === null ? undefined : findText(text, config.search_text);
          });
        }
      });
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      throw toBrowserFailure(error, config.url, 'config.link_selector');
    } finally {
      stopHeartbeating();
    }
  };

import { Context } from '@temporalio/activity';
import type { Logger } from 'pino';
import type { EnrichItemsInput, EnrichItemsResult } from '../schemas/stream-run.js';
import { HTML_ACCEPT } from './articles/extract-article.js';
import { contentLanguageTag } from './articles/content-language.js';
import { extractArticleOffThread } from './articles/extract-article-off-thread.js';
import { keepHeartbeating } from './heartbeat.js';
import type { HttpClient } from './http/http-client.js';
import type { EnrichmentStore } from './ports.js';

export interface EnrichActivityDeps {
  enrichment: EnrichmentStore;
  http: HttpClient;
  logger: Logger;
}

/**
 * parse_now: reads the articles behind a run's new links and stores their text. Best effort per link
 * (a page that is gone, refused or not an article keeps what the listing gave, and the run still
 * succeeds); each text is written as soon as it is read, so a retried or restarted attempt only visits
 * the links still without text.
 */
export function createEnrichActivities({ enrichment, http, logger }: EnrichActivityDeps) {
  return {
    async enrichItems(input: EnrichItemsInput): Promise<EnrichItemsResult> {
      const context = Context.current();
      const signal = context.cancellationSignal;
      const pending = await enrichment.findItemsToEnrich(input.runId, input.max);
      let done = 0;
      let enriched = 0;
      let skipped = 0;
      const stopHeartbeating = keepHeartbeating(() => ({ done, of: pending.length }));
      try {
        for (const item of pending) {
          try {
            const page = await http.getText(item.url, signal, {
              accept: HTML_ACCEPT,
              respectRobots: input.respectRobots,
            });
            const article = await extractArticleOffThread(page.body, page.url, undefined, undefined, signal);
            await enrichment.storeArticleText(item.id, {
              text: article.text,
              title: article.title,
              author: article.author,
              publishedAt: article.publishedAt,
              imageUrl: article.image,
              // The page's own word first; the server's header only when the page says nothing.
              language: article.language ?? contentLanguageTag(page.contentLanguage),
            });
            enriched += 1;
          } catch (error) {
            if (signal.aborted) throw error;
            skipped += 1;
            const reason = error instanceof Error ? error.message : String(error);
            logger.warn(
              { runId: input.runId, url: item.url, err: reason },
              'article not read; the item keeps what the listing gave',
            );
            await enrichment.recordSkipped?.(item.id, reason);
          }
          done += 1;
        }
        return { enriched, skipped };
      } finally {
        stopHeartbeating();
      }
    },
  };
}

import { Context } from '@temporalio/activity';
import { FailureType } from '../../schemas/failure-types.js';
import { renderTemplate } from '../../schemas/text-template.js';
import { newsStreamConfigSchema } from '../../schemas/tasks/news-stream.js';
import { describeFieldIssues, toFieldIssues } from '../../schemas/validation.js';
import { permanentFailure, validationFailure } from '../failures.js';
import { keepHeartbeating } from '../heartbeat.js';
import { cutAtWord } from '../text/cut-at-word.js';
import type { NewsItem, WriteActivityFactory } from './task-activity.js';

/** Enough of each article for the model to know what happened, without one long text crowding out the rest. */
const NEWS_CONTENT_LIMIT = 1500;

/** The news as the model reads them, in the shape the system this replaces used: Title / Content / URL blocks. */
export function renderNews(news: readonly NewsItem[]): string {
  return news
    .map((item) => {
      const content = (item.text ?? item.summary ?? '').replace(/\s+/g, ' ').trim();
      return [
        `Title: ${item.title ?? '(untitled)'}`,
        `Content: ${content ? cutAtWord(content, NEWS_CONTENT_LIMIT) : '(none)'}`,
        `URL: ${item.url}`,
      ].join('\n');
    })
    .join('\n---\n');
}

/**
 * Writes docs for a medium from its sources' recent news with a language model. The docs come back to
 * the workflow, which saves them in a separate, idempotent step: a failed save never calls the model again.
 */
export const createNewsStreamActivity: WriteActivityFactory = (deps) =>
  async function newsStream(rawConfig) {
    const parsed = newsStreamConfigSchema.safeParse(rawConfig);
    if (!parsed.success) throw validationFailure(describeFieldIssues(toFieldIssues(parsed.error, 'config')));
    const config = parsed.data;
    const { docs, llm } = deps;
    if (!docs) throw permanentFailure(FailureType.Configuration, 'this worker was started without a database for docs');
    if (!llm?.configured)
      throw permanentFailure(
        FailureType.Configuration,
        "no model API key: set ANTHROPIC_API_KEY in the worker's environment and restart it",
      );
    const context = Context.current();

    const media = await docs.findMedia(config.media_id);
    if (!media) throw validationFailure(`config.media_id: no medium ${config.media_id}`);
    const now = new Date();
    const news = await docs.newsForMedia({
      mediaId: config.media_id,
      since: new Date(now.getTime() - config.time_window_minutes * 60_000).toISOString(),
      limit: config.max_items,
    });
    const base = { mediaId: config.media_id, found: news.length, attempt: context.info.attempt };
    if (news.length === 0) {
      const why =
        media.sourceCount === 0
          ? 'the medium has no sources'
          : `no news from the medium's sources in the last ${config.time_window_minutes} minutes`;
      return { ...base, docs: [], warnings: [`nothing to write: ${why}`] };
    }

    const values = { news: renderNews(news), examples: media.styleExamples.join('\n---\n'), now: now.toISOString() };
    const stopHeartbeating = keepHeartbeating(() => ({ waitingForModel: true, news: news.length }));
    try {
      const written = await llm.writeDocs(
        {
          model: config.model,
          system: renderTemplate(config.system_prompt, values),
          user: renderTemplate(config.user_prompt_template, values),
          maxTokens: config.max_tokens,
          temperature: config.temperature,
          maxDocs: config.max_docs,
        },
        context.cancellationSignal,
      );
      context.log.info('docs written', { mediaId: config.media_id, news: news.length, docs: written.length });
      return { ...base, docs: written };
    } finally {
      stopHeartbeating();
    }
  };

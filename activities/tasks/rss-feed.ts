import { Context } from '@temporalio/activity';
import { FailureType } from '../../schemas/failure-types.js';
import { rssFeedConfigSchema } from '../../schemas/tasks/rss-feed.js';
import { describeFieldIssues, toFieldIssues } from '../../schemas/validation.js';
import { SkippedUrls } from '../canonical-url.js';
import { entriesToItems } from '../feeds/entries-to-items.js';
import { NotAFeedError, parseFeedDocument } from '../feeds/parse-feed.js';
import { permanentFailure, validationFailure } from '../failures.js';
import { keepHeartbeating } from '../heartbeat.js';
import type { TaskActivityFactory } from './task-activity.js';

const FEED_ACCEPT =
  'application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5';

export const createRssFeedActivity: TaskActivityFactory = (deps) =>
  async function rssFeed(rawConfig, runContext) {
    const parsed = rssFeedConfigSchema.safeParse(rawConfig);
    if (!parsed.success) throw validationFailure(describeFieldIssues(toFieldIssues(parsed.error, 'config')));
    const config = parsed.data;
    const context = Context.current();
    let phase = 'fetching';
    const stopHeartbeating = keepHeartbeating(() => ({ phase }));
    try {
      const known =
        runContext && !runContext.dryRun ? await deps.findValidator?.(runContext.sourceId, config.url) : undefined;
      const response = await deps.http.getText(config.url, context.cancellationSignal, {
        accept: FEED_ACCEPT,
        respectRobots: config.respect_robots_txt,
        validator: known,
      });
      if (response.status === 304) {
        context.log.info('feed not modified since the last saved run', { url: config.url });
        return { items: [], found: 0, attempt: context.info.attempt, notModified: true };
      }
      phase = 'parsing';
      let feed;
      try {
        feed = parseFeedDocument(response.body);
      } catch (error) {
        if (error instanceof NotAFeedError) {
          throw permanentFailure(FailureType.NotAFeed, `${config.url}: ${error.message}`, { url: config.url });
        }
        throw error;
      }
      // An entry whose link is no http(s) URL is skipped and counted, never a reason to fail the run.
      const skipped = new SkippedUrls();
      const items = entriesToItems(feed, response.url, skipped);
      context.log.info('feed parsed', {
        url: config.url,
        format: feed.format,
        entries: feed.entries.length,
        items: items.length,
        skipped: skipped.count,
        repairs: feed.repairs,
      });
      const validators =
        response.etag || response.lastModified
          ? [{ url: config.url, etag: response.etag, lastModified: response.lastModified }]
          : [];
      const warnings = [...repairWarning(feed.repairs), ...skipped.warnings('entries')];
      return {
        items: items.slice(0, config.max_items),
        found: feed.entries.length,
        attempt: context.info.attempt,
        validators,
        ...(warnings.length ? { warnings } : {}),
      };
    } finally {
      stopHeartbeating();
    }
  };

/** One warning for a feed read only after mending, naming what was mended (feedparser's "bozo"). */
function repairWarning(repairs: readonly string[]): string[] {
  if (repairs.length === 0) return [];
  return [`the feed is not well-formed XML (${repairs.join('; ')}); it was repaired and read as far as it goes`];
}

import type { CollectionTaskType, PublishTaskType, WriteTaskType } from '../../schemas/tasks/index.js';
import { createRssFeedActivity } from './rss-feed.js';
import { createArticleSearcherActivity } from './article-searcher.js';
import { createPlaywrightLinkExtractorActivity } from './playwright-link-extractor.js';
import { createSitemapActivity } from './sitemap.js';
import { createWebArticleActivity } from './web-article.js';
import { createTelegramChannelActivity } from './telegram-channel.js';
import { createTelegramBulkParserActivity } from './telegram-bulk-parser.js';
import { createGoogleSearchActivity } from './google-search.js';
import { createBingSearchActivity } from './bing-search.js';
import { createDuckDuckGoSearchActivity } from './duckduckgo-search.js';
import { createTelegramPublishActivity } from './telegram-publish.js';
import { createDocPublisherActivity } from './doc-publisher.js';
import { createNewsStreamActivity } from './news-stream.js';
import { createTelegramDocPublisherActivity } from './telegram-doc-publisher.js';
import { createGoogleDocCreatorActivity } from './google-doc-creator.js';
import { HttpClient } from '../http/http-client.js';
import type { CollectionActivity, PublishActivity, TaskActivityConfig, WriteActivity } from './task-activity.js';

/** Every task's activity, each typed by what its task produces. */
export type TaskActivities = Record<CollectionTaskType, CollectionActivity> &
  Record<WriteTaskType, WriteActivity> &
  Record<PublishTaskType, PublishActivity>;

/**
 * One activity per task type, registered under the task's type name so the Temporal UI shows
 * `rss_feed`, not a generic runner. The record type makes a missing entry a compile error.
 */
export function createTaskActivities(config: TaskActivityConfig): TaskActivities {
  const deps = {
    logger: config.logger,
    http: config.httpClient ?? new HttpClient(config.http, config.logger),
    findValidator: config.findValidator,
    browser: config.browser,
    listSourcesOnHosts: config.listSourcesOnHosts,
    saveItems: config.saveItems,
    publications: config.publications,
    telegram: config.telegram,
    docs: config.docs,
    llm: config.llm,
    google: config.google,
  };
  return {
    rss_feed: createRssFeedActivity(deps),
    sitemap_news: createSitemapActivity(deps),
    sitemap_blog: createSitemapActivity(deps),
    playwright_link_extractor: createPlaywrightLinkExtractorActivity(deps),
    article_searcher: createArticleSearcherActivity(deps),
    web_article: createWebArticleActivity(deps),
    telegram_channel: createTelegramChannelActivity(deps),
    telegram_bulk_parser: createTelegramBulkParserActivity(deps),
    google_search: createGoogleSearchActivity(deps),
    bing_search: createBingSearchActivity(deps),
    duckduckgo_search: createDuckDuckGoSearchActivity(deps),
    telegram_publish: createTelegramPublishActivity(deps),
    doc_publisher: createDocPublisherActivity(deps),
    news_stream: createNewsStreamActivity(deps),
    telegram_doc_publisher: createTelegramDocPublisherActivity(deps),
    google_doc_creator: createGoogleDocCreatorActivity(deps),
  };
}

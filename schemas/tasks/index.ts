import type { TaskDefinition } from '../task-definition.js';
import { rssFeedTask } from './rss-feed.js';
import { articleSearcherTask } from './article-searcher.js';
import { playwrightLinkExtractorTask } from './playwright-link-extractor.js';
import { sitemapBlogTask, sitemapNewsTask } from './sitemap.js';
import { webArticleTask } from './web-article.js';
import { telegramChannelTask } from './telegram-channel.js';
import { telegramBulkParserTask } from './telegram-bulk-parser.js';
import { googleSearchTask } from './google-search.js';
import { bingSearchTask } from './bing-search.js';
import { duckDuckGoSearchTask } from './duckduckgo-search.js';
import { telegramPublishTask } from './telegram-publish.js';
import { docPublisherTask } from './doc-publisher.js';
import { newsStreamTask } from './news-stream.js';
import { telegramDocPublisherTask } from './telegram-doc-publisher.js';
import { googleDocCreatorTask } from './google-doc-creator.js';

/**
 * The task catalogue. Adding a task type means adding its definition here, its activity to
 * activities/tasks/index.ts (the compiler insists), and nothing else: the API's catalogue, the
 * workflow's validation and the docs all derive from this list.
 */
export const taskDefinitions = [
  rssFeedTask,
  sitemapNewsTask,
  sitemapBlogTask,
  playwrightLinkExtractorTask,
  articleSearcherTask,
  webArticleTask,
  telegramChannelTask,
  telegramBulkParserTask,
  googleSearchTask,
  bingSearchTask,
  duckDuckGoSearchTask,
  newsStreamTask,
  googleDocCreatorTask,
  telegramPublishTask,
  docPublisherTask,
  telegramDocPublisherTask,
] as const;

type AnyTaskDefinition = (typeof taskDefinitions)[number];

export type TaskType = AnyTaskDefinition['type'];

/** Tasks that collect links, which the run then saves as items. */
export type CollectionTaskType = Extract<AnyTaskDefinition, { produces: 'links' }>['type'];

/** Tasks that write docs for a medium, which the run then saves. */
export type WriteTaskType = Extract<AnyTaskDefinition, { produces: 'docs' }>['type'];

/** Tasks whose activity is a side effect of its own (a message sent), recorded as publications. */
export type PublishTaskType = Extract<AnyTaskDefinition, { produces: 'publications' }>['type'];

export const taskTypes: TaskType[] = taskDefinitions.map((task) => task.type);

export function findTaskDefinition(type: string): TaskDefinition | undefined {
  return taskDefinitions.find((task) => task.type === type);
}

export function isTaskType(type: string): type is TaskType {
  return findTaskDefinition(type) !== undefined;
}

import type { TaskType } from '../../schemas/tasks/index.js';
import { createRssFeedActivity } from './rss-feed.js';
import { createSitemapActivity } from './sitemap.js';
import type { CollectionActivity, TaskActivityDeps } from './task-activity.js';

/**
 * One activity per task type, registered under the task's type name so the Temporal UI shows
 * `rss_feed`, not a generic runner. `Record<TaskType, …>` makes a missing entry a compile error.
 */
export function createTaskActivities(deps: TaskActivityDeps): Record<TaskType, CollectionActivity> {
  return {
    rss_feed: createRssFeedActivity(deps),
    sitemap_news: createSitemapActivity(deps),
    sitemap_blog: createSitemapActivity(deps),
  };
}

import { googleSearchConfigSchema } from '../../schemas/tasks/google-search.js';
import { GOOGLE_NEWS_ORIGIN, searchGoogleNews } from '../search/google-news.js';
import { GOOGLE_WEB_ORIGIN, searchGoogleWeb } from '../search/google-web.js';
import { createSearchActivity } from '../search/search-activity.js';
import type { TaskActivityFactory } from './task-activity.js';

export const createGoogleSearchActivity: TaskActivityFactory = (deps) =>
  createSearchActivity(deps, googleSearchConfigSchema, (config, fetchText) => ({
    engine: `google ${config.search_type}`,
    keywords: config.keywords,
    limit: config.max_results_per_keyword,
    search:
      config.search_type === 'news'
        ? (keyword) => searchGoogleNews(fetchText, config.base_url ?? GOOGLE_NEWS_ORIGIN, keyword, config.days_ago)
        : (keyword, limit) =>
            searchGoogleWeb(fetchText, config.base_url ?? GOOGLE_WEB_ORIGIN, keyword, limit, config.days_ago),
  }));

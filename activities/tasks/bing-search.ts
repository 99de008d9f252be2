import { bingSearchConfigSchema } from '../../schemas/tasks/bing-search.js';
import { searchBing } from '../search/bing.js';
import { createSearchActivity } from '../search/search-activity.js';
import type { TaskActivityFactory } from './task-activity.js';

export const createBingSearchActivity: TaskActivityFactory = (deps) =>
  createSearchActivity(deps, bingSearchConfigSchema, (config, fetchText) => ({
    engine: `bing ${config.search_type}`,
    keywords: config.keywords,
    limit: config.max_results_per_keyword,
    search: (keyword, limit) =>
      searchBing(fetchText, config.base_url, keyword, {
        searchType: config.search_type,
        limit,
        freshness: config.freshness,
      }),
  }));

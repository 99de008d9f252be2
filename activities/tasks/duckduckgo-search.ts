import { duckDuckGoSearchConfigSchema } from '../../schemas/tasks/duckduckgo-search.js';
import { DUCKDUCKGO_ORIGIN, searchDuckDuckGoNews } from '../search/duckduckgo-news.js';
import { DUCKDUCKGO_HTML_ORIGIN, searchDuckDuckGoWeb } from '../search/duckduckgo-web.js';
import { createSearchActivity } from '../search/search-activity.js';
import type { TaskActivityFactory } from './task-activity.js';

export const createDuckDuckGoSearchActivity: TaskActivityFactory = (deps) =>
  createSearchActivity(deps, duckDuckGoSearchConfigSchema, (config, fetchText) => {
    const query = { region: config.region, timeRange: config.time_range, safesearch: config.safesearch };
    return {
      engine: `duckduckgo ${config.search_type}`,
      keywords: config.keywords,
      limit: config.max_results,
      search:
        config.search_type === 'news'
          ? (keyword, limit) =>
              searchDuckDuckGoNews(fetchText, config.base_url ?? DUCKDUCKGO_ORIGIN, keyword, limit, query)
          : (keyword) => searchDuckDuckGoWeb(fetchText, config.base_url ?? DUCKDUCKGO_HTML_ORIGIN, keyword, query),
    };
  });

import { z } from 'zod';
import { enrichmentFields, fetchPolicyFields, httpUrl } from '../fields.js';
import { defineTask } from '../task-definition.js';
import { resultsPerKeyword, searchKeywords, searchType } from './search-fields.js';

export const bingSearchConfigSchema = z
  .object({
    keywords: searchKeywords,
    max_results_per_keyword: resultsPerKeyword(50, 5),
    search_type: searchType,
    freshness: z
      .enum(['day', 'week', 'month', 'any'])
      .optional()
      .describe(
        'day, week, month or any: only results from the last day, week or month, or of any age. news sends qft=interval="7", "8" or "9"; web sends filters=ex1:"ez1", "ez2" or "ez3". Unset: news keeps the last 24 hours, as the system this replaces always did, and web is not filtered.',
      ),
    base_url: httpUrl
      .default('https://www.bing.com')
      .describe('Where to send the search instead of Bing (a test server).'),
    ...fetchPolicyFields,
    ...enrichmentFields,
  })
  .strict();

export type BingSearchConfig = z.output<typeof bingSearchConfigSchema>;

export const bingSearchTask = defineTask({
  type: 'bing_search',
  title: 'Bing search',
  description:
    'Searches Bing for each keyword in turn through the RSS form of its result pages. news: `GET <base>/news/search?q=<keyword>&format=rss[&qft=interval="7"]`, whose links (`bing.com/news/apiclick.aspx?…&url=<target>` click counters) are unwrapped to the publisher\'s URL; web: `GET <base>/search?q=<keyword>&format=rss&count=<n>[&filters=ex1:"ez1"]`. Items carry link, title, description as summary and pubDate.',
  produces: 'links',
  configSchema: bingSearchConfigSchema,
  example: { keywords: ['harbour dredging'], max_results_per_keyword: 10, freshness: 'week' },
  activity: {
    startToCloseTimeout: '5 minutes',
    heartbeatTimeout: '15 seconds',
    scheduleToCloseTimeout: '20 minutes',
    retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '2 minutes', maximumAttempts: 4 },
  },
});

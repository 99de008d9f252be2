import { z } from 'zod';
import { enrichmentFields, fetchPolicyFields, httpUrl } from '../fields.js';
import { defineTask } from '../task-definition.js';
import { resultsPerKeyword, searchKeywords, searchType } from './search-fields.js';

export const googleSearchConfigSchema = z
  .object({
    keywords: searchKeywords,
    max_results_per_keyword: resultsPerKeyword(50, 5),
    days_ago: z
      .number()
      .int()
      .min(1)
      .max(365)
      .optional()
      .describe(
        "Only results from the last n days. news: `when:<n>d` added to the query; web: the smallest of Google's past day, week, month or year windows that covers n days (tbs=qdr:d for 1, w up to 7, m up to 31, y beyond).",
      ),
    search_type: searchType,
    base_url: httpUrl
      .optional()
      .describe(
        'Where to send the search instead of Google (a test server); unset: https://news.google.com for news, https://www.google.com for web.',
      ),
    ...fetchPolicyFields,
    ...enrichmentFields,
  })
  .strict();

export type GoogleSearchConfig = z.output<typeof googleSearchConfigSchema>;

export const googleSearchTask = defineTask({
  type: 'google_search',
  title: 'Google search',
  description:
    "Searches Google for each keyword in turn. news reads the Google News RSS search feed, `GET <base>/rss/search?q=<keyword>[ when:<n>d]&hl=en-US&gl=US&ceid=US:en`: link (a news.google.com/rss/articles/… redirect, kept as given), title without its trailing ` - <publication>`, pubDate, and the `<source>` publication as author. web has no feed: it reads the basic HTML results page, `GET <base>/search?q=<keyword>&num=<n>&hl=en[&tbs=qdr:<d, w, m or y>]`, whose results are the links holding an `<h3>`, their `/url?q=<target>` redirects unwrapped to the target. Google's robots.txt disallows /search, so web mode runs only with respect_robots_txt: false, where Google's terms allow it.",
  produces: 'links',
  configSchema: googleSearchConfigSchema,
  example: { keywords: ['harbour dredging', '"ferry timetable" winter'], max_results_per_keyword: 10, days_ago: 7 },
  activity: {
    startToCloseTimeout: '5 minutes',
    heartbeatTimeout: '15 seconds',
    scheduleToCloseTimeout: '20 minutes',
    retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '2 minutes', maximumAttempts: 4 },
  },
});

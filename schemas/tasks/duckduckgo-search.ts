import { z } from 'zod';
import { enrichmentFields, fetchPolicyFields, httpUrl } from '../fields.js';
import { defineTask } from '../task-definition.js';
import { searchKeyword, searchKeywords, searchType } from './search-fields.js';

export const duckDuckGoSearchConfigSchema = z
  .object({
    // The system this replaces took one query string; a list is the same field as for the other engines.
    keywords: z
      .union([searchKeyword, searchKeywords])
      .transform((keywords) => (typeof keywords === 'string' ? [keywords] : keywords))
      .describe(
        'One query, or a list of 1 to 20 searched one after another (each at most 200 characters); results found by several keywords are kept once, for the first.',
      ),
    max_results: z
      .number()
      .int()
      .min(1)
      .max(100)
      .default(10)
      .describe('Results kept per keyword, in the order DuckDuckGo ranks them.'),
    region: z
      .string()
      .regex(/^[a-z]{2}-[a-z]{2}$/, 'must be a DuckDuckGo region such as wt-wt (no region), us-en or de-de')
      .default('wt-wt')
      .describe('DuckDuckGo region, country-language (us-en, de-de); wt-wt for none.'),
    time_range: z
      .enum(['d', 'w', 'm'])
      .default('d')
      .describe('d, w or m: only results from the last day, week or month (sent as df).'),
    safesearch: z
      .enum(['on', 'moderate', 'off'])
      .default('moderate')
      .describe('on, moderate or off: safe search, sent as 1, -1 or -2 (p for news, kp for web).'),
    search_type: searchType,
    base_url: httpUrl
      .optional()
      .describe(
        'Where to send the search instead of DuckDuckGo (a test server); unset: https://duckduckgo.com for news, https://html.duckduckgo.com for web.',
      ),
    ...fetchPolicyFields,
    ...enrichmentFields,
  })
  .strict();

export type DuckDuckGoSearchConfig = z.output<typeof duckDuckGoSearchConfigSchema>;

export const duckDuckGoSearchTask = defineTask({
  type: 'duckduckgo_search',
  title: 'DuckDuckGo search',
  description:
    "Searches DuckDuckGo for each keyword in turn. news: `GET <base>/?q=<keyword>` for the page's vqd token (a page without one fails the run as MalformedBodyError), then `GET <base>/news.js?l=<region>&o=json&noamp=1&q=<keyword>&vqd=<vqd>&p=<safesearch>&df=<time_range>`, following its next pages (`&s=<offset>`) while max_results wants more; results without a url or title are skipped, the date (Unix seconds) becomes the published time and the source the author. web: `GET <base>/html/?q=<keyword>&kl=<region>&df=<time_range>&kp=<safesearch>`, its `a.result__a` links (`//duckduckgo.com/l/?uddg=<target>` unwrapped) with `.result__snippet` as summary; ads are left out. An HTTP 202, DuckDuckGo's answer when it throttles, is retried.",
  produces: 'links',
  configSchema: duckDuckGoSearchConfigSchema,
  example: { keywords: ['harbour dredging', 'ferry timetable'], max_results: 20, region: 'us-en', time_range: 'w' },
  activity: {
    startToCloseTimeout: '5 minutes',
    heartbeatTimeout: '15 seconds',
    scheduleToCloseTimeout: '20 minutes',
    retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '2 minutes', maximumAttempts: 4 },
  },
});

import { z } from 'zod';
import { fetchPolicyFields, httpUrl } from '../fields.js';
import { defineTask } from '../task-definition.js';

const cssSelector = z.string().trim().min(1).max(500);

export const webArticleConfigSchema = z
  .object({
    base_url: httpUrl.describe('The article page.'),
    selectors: z
      .object({
        title: cssSelector.describe('CSS selector of the headline.'),
        content: cssSelector.describe('CSS selector of the article body (all matches, in order).'),
        author: cssSelector.optional(),
        published: cssSelector
          .optional()
          .describe('An element whose datetime attribute or text is the publication time.'),
      })
      .strict()
      .optional()
      .describe('Where the parts are; without it, the article is found by readability extraction.'),
    pagination: z
      .object({
        next_selector: cssSelector.describe("CSS selector of the link to the article's next page."),
        max_pages: z.number().int().min(1).max(20).default(5),
      })
      .strict()
      .optional()
      .describe('For articles split over pages: their text is joined in page order.'),
    ...fetchPolicyFields,
  })
  .strict();

export const webArticleTask = defineTask({
  type: 'web_article',
  title: 'Article text',
  description:
    'Fetches an article page and extracts its title, author, published time, text and canonical URL, with CSS selectors when given and readability extraction otherwise; follows its next pages when asked.',
  produces: 'links',
  configSchema: webArticleConfigSchema,
  example: {
    base_url: 'https://example.com/2026/11/story',
    selectors: { title: 'h1', content: 'article .body p' },
    pagination: { next_selector: 'a.next-page', max_pages: 3 },
  },
  activity: {
    startToCloseTimeout: '2 minutes',
    heartbeatTimeout: '10 seconds',
    scheduleToCloseTimeout: '10 minutes',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 5 },
  },
});

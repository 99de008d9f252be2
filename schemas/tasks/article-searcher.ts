import { z } from 'zod';
import { enrichmentFields, fetchPolicyFields, httpUrl } from '../fields.js';
import { defineTask } from '../task-definition.js';

const selectorType = z.enum(['css', 'xpath']).default('css');

export const articleSearcherConfigSchema = z
  .object({
    url: httpUrl.describe('Listing page whose links are candidate articles.'),
    link_selector: z.string().trim().min(1).max(500).describe('Selector of the candidate links on the listing page.'),
    link_selector_type: selectorType.describe('css or xpath.'),
    article_selector: z.string().trim().min(1).max(500).describe("Selector of the element holding an article's text."),
    article_selector_type: selectorType.describe('css or xpath.'),
    search_text: z
      .string()
      .trim()
      .min(1)
      .max(500)
      .describe('Text an article must contain (case-insensitive, Unicode-aware).'),
    max_links: z.number().int().min(1).max(200).default(10).describe('Candidate links to visit, in page order.'),
    ...fetchPolicyFields,
    ...enrichmentFields,
  })
  .strict();

export const articleSearcherTask = defineTask({
  type: 'article_searcher',
  title: 'Articles mentioning a text',
  description:
    'Renders a listing page, visits each candidate link in turn and keeps the articles whose text contains search_text; an article that fails to load or lacks the element is skipped, not fatal.',
  produces: 'links',
  configSchema: articleSearcherConfigSchema,
  example: {
    url: 'https://example.com/news',
    link_selector: 'article h2 a',
    article_selector: 'article .body',
    search_text: 'ferry',
    max_links: 20,
  },
  activity: {
    startToCloseTimeout: '10 minutes',
    heartbeatTimeout: '15 seconds',
    scheduleToCloseTimeout: '30 minutes',
    retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '2 minutes', maximumAttempts: 3 },
  },
});

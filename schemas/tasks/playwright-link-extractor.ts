import { z } from 'zod';
import { enrichmentFields, fetchPolicyFields, httpUrl } from '../fields.js';
import { defineTask } from '../task-definition.js';

export const playwrightLinkExtractorConfigSchema = z
  .object({
    url: httpUrl.describe('Page to render in the browser.'),
    link_selector: z.string().trim().min(1).max(500).describe('CSS selector of the links (anchors) to collect.'),
    max_links: z.number().int().min(1).max(1000).default(100).describe('Links to take, in page order.'),
    wait_until: z
      .enum(['domcontentloaded', 'load', 'networkidle'])
      .default('load')
      .describe('When the page counts as ready: DOM parsed, all resources loaded, or no network for 500 ms.'),
    ...fetchPolicyFields,
    ...enrichmentFields,
  })
  .strict();

export const playwrightLinkExtractorTask = defineTask({
  type: 'playwright_link_extractor',
  title: 'Links from a rendered page',
  description:
    "Renders a page in headless Chromium (so links added by JavaScript count) and collects the anchors matching a CSS selector, resolved against the page's own URL, with their text as the title.",
  produces: 'links',
  configSchema: playwrightLinkExtractorConfigSchema,
  example: { url: 'https://example.com/news', link_selector: 'article h2 a', max_links: 50 },
  activity: {
    startToCloseTimeout: '2 minutes',
    heartbeatTimeout: '10 seconds',
    scheduleToCloseTimeout: '10 minutes',
    retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 3 },
  },
});

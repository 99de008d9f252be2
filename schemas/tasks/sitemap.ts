import { z } from 'zod';
import { enrichmentFields, fetchPolicyFields, httpUrl } from '../fields.js';
import { defineTask } from '../task-definition.js';

export const sitemapConfigSchema = z
  .object({
    sitemap_url: httpUrl.describe('Address of a sitemap or sitemap index (plain or .gz).'),
    max_links: z.number().int().min(1).max(1000).default(100).describe('Links to take, in sitemap order.'),
    follow_next: z
      .boolean()
      .default(false)
      .describe(
        'For a sitemap index: keep reading further child sitemaps (newest first) until max_links; otherwise only the newest child is read.',
      ),
    max_depth: z.number().int().min(1).max(3).default(2).describe('Levels of nested sitemap indexes to follow.'),
    ...fetchPolicyFields,
    ...enrichmentFields,
  })
  .strict();

export type SitemapConfig = z.output<typeof sitemapConfigSchema>;

const sitemapActivityDefaults = {
  startToCloseTimeout: '3 minutes',
  heartbeatTimeout: '10 seconds',
  scheduleToCloseTimeout: '15 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 5 },
};

export const sitemapNewsTask = defineTask({
  type: 'sitemap_news',
  title: 'News sitemap',
  description:
    'Reads a Google News sitemap (or an index of them, gzip or not) and collects its links with their news:title and news:publication_date, falling back to lastmod.',
  produces: 'links',
  configSchema: sitemapConfigSchema,
  example: { sitemap_url: 'https://example.com/news-sitemap.xml', max_links: 100 },
  activity: sitemapActivityDefaults,
});

export const sitemapBlogTask = defineTask({
  type: 'sitemap_blog',
  title: 'Blog sitemap',
  description:
    'Reads a plain sitemap (or a sitemap index, gzip or not) and collects its links with their lastmod as the published time.',
  produces: 'links',
  configSchema: sitemapConfigSchema,
  example: { sitemap_url: 'https://example.com/sitemap_index.xml', max_links: 50, follow_next: true },
  activity: sitemapActivityDefaults,
});

import { z } from 'zod';
import { defineTask } from '../task-definition.js';
import { enrichmentFields, fetchPolicyFields, httpUrl } from '../fields.js';

export const rssFeedConfigSchema = z
  .object({
    url: httpUrl.describe('Address of the feed: RSS 0.9x/1.0/2.0, Atom or JSON Feed.'),
    max_items: z
      .number()
      .int()
      .min(1)
      .max(10_000)
      .default(10)
      .describe('Entries to take, in the order the feed lists them (newest first in most feeds).'),
    ...fetchPolicyFields,
    ...enrichmentFields,
  })
  .strict();

export type RssFeedConfig = z.output<typeof rssFeedConfigSchema>;

export const rssFeedTask = defineTask({
  type: 'rss_feed',
  title: 'RSS / Atom feed',
  description:
    "Fetches a syndication feed over HTTP and collects its entries (link, title, summary, published time, author) as items of the stream's source, de-duplicated by canonical URL.",
  produces: 'links',
  configSchema: rssFeedConfigSchema,
  example: { url: 'https://example.com/feed.xml', max_items: 20 },
  activity: {
    startToCloseTimeout: '2 minutes',
    heartbeatTimeout: '10 seconds',
    scheduleToCloseTimeout: '10 minutes',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 5 },
  },
});

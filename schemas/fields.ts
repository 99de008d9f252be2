import { z } from 'zod';
import { MAX_URL_LENGTH } from './text-limits.js';

/** An absolute http(s) URL of at most 8 KB: the only kind a collection task may fetch. */
export const httpUrl = z
  .url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' })
  .max(MAX_URL_LENGTH, `must be at most ${MAX_URL_LENGTH} characters (8 KB)`);

/** Fetch behaviour every web-collecting task accepts. */
export const fetchPolicyFields = {
  respect_robots_txt: z
    .boolean()
    .default(true)
    .describe(
      "Check the site's robots.txt before fetching; turn off only for sites you own or have permission to crawl.",
    ),
};

/**
 * `parse_now` for tasks that collect links: after saving, the run visits each newly found link and
 * stores the article's text (the original sent them to an external service; here it is the same
 * readability extraction as `web_article`, on the same polite fetch layer).
 */
export const enrichmentFields = {
  parse_now: z
    .boolean()
    .default(false)
    .describe('After saving, fetch each new link and store its article text, author and published time.'),
  parse_now_max: z
    .number()
    .int()
    .min(1)
    .max(100)
    .default(20)
    .describe('Most new links a run enriches; the rest keep only what the listing gave.'),
};

/** What parse_now asks of a run, from a config its task's schema validated; null when it is off. */
export function enrichmentPlan(config: unknown): { max: number; respectRobots: boolean } | null {
  if (typeof config !== 'object' || config === null) return null;
  const fields = config as { parse_now?: unknown; parse_now_max?: unknown; respect_robots_txt?: unknown };
  if (fields.parse_now !== true || typeof fields.parse_now_max !== 'number') return null;
  return { max: fields.parse_now_max, respectRobots: fields.respect_robots_txt !== false };
}

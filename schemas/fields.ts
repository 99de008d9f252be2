import { z } from 'zod';

/** An absolute http(s) URL: the only kind a collection task may fetch. */
export const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' });

/** Fetch behaviour every web-collecting task accepts. */
export const fetchPolicyFields = {
  respect_robots_txt: z
    .boolean()
    .default(true)
    .describe("Check the site's robots.txt before fetching; turn off only for sites you own or have permission to crawl."),
};

import { z } from 'zod';

/** An absolute http(s) URL: the only kind a collection task may fetch. */
export const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' });

import { z } from 'zod';

/** One query as a person would type it: the engine reads quotes, OR and site: itself. */
export const searchKeyword = z.string().trim().min(1).max(200);

export const searchKeywords = z
  .array(searchKeyword)
  .min(1)
  .max(20)
  .describe(
    'Queries to search, one after another (1 to 20, each at most 200 characters); results found by several keywords are kept once, for the first.',
  );

export const searchType = z
  .enum(['news', 'web'])
  .default('news')
  .describe("news (the engine's news search) or web (its general web results).");

/** How many results one keyword keeps, in the engine's order. */
export const resultsPerKeyword = (max: number, fallback: number) =>
  z
    .number()
    .int()
    .min(1)
    .max(max)
    .default(fallback)
    .describe('Results kept per keyword, in the order the engine ranks them.');

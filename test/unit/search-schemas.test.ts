import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { bingSearchConfigSchema } from '../../schemas/tasks/bing-search.js';
import { duckDuckGoSearchConfigSchema } from '../../schemas/tasks/duckduckgo-search.js';
import { googleSearchConfigSchema } from '../../schemas/tasks/google-search.js';
import { toFieldIssues } from '../../schemas/validation.js';

function pathsOf(schema: z.ZodType, value: unknown): string[] {
  const result = schema.safeParse(value);
  expect(result.success, 'the value should have been refused').toBe(false);
  return result.success
    ? []
    : toFieldIssues(result.error, 'config')
        .map((issue) => issue.path)
        .sort();
}

describe('the google_search config schema', () => {
  it('applies its defaults and leaves days_ago and base_url unset', () => {
    expect(googleSearchConfigSchema.parse({ keywords: ['harbour dredging'] })).toEqual({
      keywords: ['harbour dredging'],
      max_results_per_keyword: 5,
      search_type: 'news',
      respect_robots_txt: true,
      parse_now: false,
      parse_now_max: 20,
    });
  });

  it('trims keywords and keeps what is given', () => {
    expect(
      googleSearchConfigSchema.parse({
        keywords: ['  ferry  '],
        max_results_per_keyword: 50,
        days_ago: 365,
        search_type: 'web',
        base_url: 'http://127.0.0.1:8080',
      }),
    ).toMatchObject({
      keywords: ['ferry'],
      max_results_per_keyword: 50,
      days_ago: 365,
      search_type: 'web',
      base_url: 'http://127.0.0.1:8080',
    });
  });

  it.each([
    [{ keywords: [] }, ['config.keywords']],
    [{ keywords: Array.from({ length: 21 }, (_, index) => `k${index}`) }, ['config.keywords']],
    [{ keywords: ['ok', '   '] }, ['config.keywords.1']],
    [{ keywords: ['x'.repeat(201)] }, ['config.keywords.0']],
    [{ keywords: 'harbour' }, ['config.keywords']],
    [{ keywords: ['a'], max_results_per_keyword: 0 }, ['config.max_results_per_keyword']],
    [{ keywords: ['a'], max_results_per_keyword: 51 }, ['config.max_results_per_keyword']],
    [{ keywords: ['a'], days_ago: 0 }, ['config.days_ago']],
    [{ keywords: ['a'], days_ago: 366 }, ['config.days_ago']],
    [{ keywords: ['a'], days_ago: 1.5 }, ['config.days_ago']],
    [{ keywords: ['a'], search_type: 'images' }, ['config.search_type']],
    [{ keywords: ['a'], base_url: 'ftp://news.google.com' }, ['config.base_url']],
    [{ keywords: ['a'], language: 'en' }, ['config']],
  ])('refuses %j at %j', (config, paths) => {
    expect(pathsOf(googleSearchConfigSchema, config)).toEqual(paths);
  });
});

describe('the bing_search config schema', () => {
  it('defaults to news on www.bing.com with no freshness of its own', () => {
    expect(bingSearchConfigSchema.parse({ keywords: ['harbour'] })).toEqual({
      keywords: ['harbour'],
      max_results_per_keyword: 5,
      search_type: 'news',
      base_url: 'https://www.bing.com',
      respect_robots_txt: true,
      parse_now: false,
      parse_now_max: 20,
    });
  });

  it('refuses an unknown freshness, too many results and days_ago (a Google field)', () => {
    expect(pathsOf(bingSearchConfigSchema, { keywords: ['a'], freshness: 'year' })).toEqual(['config.freshness']);
    expect(pathsOf(bingSearchConfigSchema, { keywords: ['a'], max_results_per_keyword: 51 })).toEqual([
      'config.max_results_per_keyword',
    ]);
    expect(pathsOf(bingSearchConfigSchema, { keywords: ['a'], days_ago: 1 })).toEqual(['config']);
  });
});

describe('the duckduckgo_search config schema', () => {
  it('takes one query string as a list of one, and applies its defaults', () => {
    expect(duckDuckGoSearchConfigSchema.parse({ keywords: ' harbour dredging ' })).toEqual({
      keywords: ['harbour dredging'],
      max_results: 10,
      region: 'wt-wt',
      time_range: 'd',
      safesearch: 'moderate',
      search_type: 'news',
      respect_robots_txt: true,
      parse_now: false,
      parse_now_max: 20,
    });
  });

  it('takes a list as it is, and a parsed config parses to itself', () => {
    const parsed = duckDuckGoSearchConfigSchema.parse({
      keywords: ['a', 'b'],
      max_results: 100,
      region: 'de-de',
      time_range: 'm',
      safesearch: 'off',
      search_type: 'web',
    });
    expect(parsed).toMatchObject({
      keywords: ['a', 'b'],
      max_results: 100,
      region: 'de-de',
      time_range: 'm',
      safesearch: 'off',
      search_type: 'web',
    });
    expect(duckDuckGoSearchConfigSchema.parse(parsed)).toEqual(parsed);
  });

  it.each([
    [{ keywords: '' }, ['config.keywords']],
    [{ keywords: ['a', ''] }, ['config.keywords.1']],
    [{ keywords: [] }, ['config.keywords']],
    [{ keywords: 7 }, ['config.keywords']],
    [{ keywords: 'a', max_results: 0 }, ['config.max_results']],
    [{ keywords: 'a', max_results: 101 }, ['config.max_results']],
    [{ keywords: 'a', region: 'US-EN' }, ['config.region']],
    [{ keywords: 'a', region: 'usa' }, ['config.region']],
    [{ keywords: 'a', time_range: 'y' }, ['config.time_range']],
    [{ keywords: 'a', safesearch: 'strict' }, ['config.safesearch']],
    [{ keywords: 'a', base_url: 'duckduckgo.com' }, ['config.base_url']],
  ])('refuses %j at %j', (config, paths) => {
    expect(pathsOf(duckDuckGoSearchConfigSchema, config)).toEqual(paths);
  });

  it('names the expected region form in its message', () => {
    const result = duckDuckGoSearchConfigSchema.safeParse({ keywords: 'a', region: 'english' });
    expect(result.error?.issues[0]?.message).toMatch(/wt-wt/);
  });
});

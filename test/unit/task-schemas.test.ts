import { describe, expect, it } from 'vitest';
import type { Duration } from '@temporalio/common';
import { msToNumber } from '@temporalio/common/lib/time.js';
import { z } from 'zod';
import { findTaskDefinition, isTaskType, taskDefinitions, taskTypes } from '../../schemas/tasks/index.js';
import { rssFeedConfigSchema } from '../../schemas/tasks/rss-feed.js';
import { sitemapConfigSchema } from '../../schemas/tasks/sitemap.js';
import { describeFieldIssues, toFieldIssues } from '../../schemas/validation.js';
import { enrichmentPlan } from '../../schemas/fields.js';

/** The field issues of a config the schema refuses, addressed under `config`. */
function issuesOf(schema: z.ZodType, value: unknown) {
  const result = schema.safeParse(value);
  expect(result.success, 'the value should have been refused').toBe(false);
  return result.success ? [] : toFieldIssues(result.error, 'config');
}

describe('the rss_feed config schema', () => {
  it('applies the defaults to a config that names only the URL', () => {
    expect(rssFeedConfigSchema.parse({ url: 'https://news.example.test/feed.xml' })).toEqual({
      url: 'https://news.example.test/feed.xml',
      max_items: 10,
      respect_robots_txt: true,
      parse_now: false,
      parse_now_max: 20,
    });
  });

  it('keeps values that are given', () => {
    expect(
      rssFeedConfigSchema.parse({
        url: 'http://news.example.test/rss',
        max_items: 250,
        respect_robots_txt: false,
        parse_now: true,
        parse_now_max: 100,
      }),
    ).toEqual({
      url: 'http://news.example.test/rss',
      max_items: 250,
      respect_robots_txt: false,
      parse_now: true,
      parse_now_max: 100,
    });
  });

  it.each([1, 10_000])('accepts max_items = %i, the edge of its range', (maxItems) => {
    expect(rssFeedConfigSchema.parse({ url: 'https://news.example.test/rss', max_items: maxItems }).max_items).toBe(
      maxItems,
    );
  });

  it.each([0, 10_001, -5])('refuses max_items = %i, outside 1..10,000', (maxItems) => {
    expect(
      issuesOf(rssFeedConfigSchema, { url: 'https://news.example.test/rss', max_items: maxItems }).map(
        (issue) => issue.path,
      ),
    ).toEqual(['config.max_items']);
  });

  it('refuses a non-integer or string max_items', () => {
    expect(issuesOf(rssFeedConfigSchema, { url: 'https://news.example.test/rss', max_items: 2.5 })).toEqual([
      { path: 'config.max_items', message: expect.stringMatching(/\bint/i) },
    ]);
    expect(
      issuesOf(rssFeedConfigSchema, { url: 'https://news.example.test/rss', max_items: '10' }).map(
        (issue) => issue.path,
      ),
    ).toEqual(['config.max_items']);
  });

  it.each([
    'ftp://news.example.test/rss',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'news.example.test/rss',
    '/feed.xml',
    '',
  ])('refuses %j as the URL', (url) => {
    expect(issuesOf(rssFeedConfigSchema, { url })).toEqual([
      { path: 'config.url', message: 'must be an absolute http(s) URL' },
    ]);
  });

  it('refuses a config without a URL', () => {
    expect(issuesOf(rssFeedConfigSchema, { max_items: 5 }).map((issue) => issue.path)).toEqual(['config.url']);
  });

  it('refuses an unknown key, naming it, at the path of the object that holds it', () => {
    expect(issuesOf(rssFeedConfigSchema, { url: 'https://news.example.test/rss', maxItems: 5 })).toEqual([
      { path: 'config', message: expect.stringContaining('maxItems') },
    ]);
  });

  it('reports every problem of a config at once', () => {
    const paths = issuesOf(rssFeedConfigSchema, { url: 'nope', max_items: 0, respect_robots_txt: 'yes' }).map(
      (issue) => issue.path,
    );
    expect(paths.sort()).toEqual(['config.max_items', 'config.respect_robots_txt', 'config.url']);
  });
});

describe('the sitemap config schema', () => {
  it('applies its defaults', () => {
    expect(sitemapConfigSchema.parse({ sitemap_url: 'https://news.example.test/sitemap.xml' })).toEqual({
      sitemap_url: 'https://news.example.test/sitemap.xml',
      max_links: 100,
      follow_next: false,
      max_depth: 2,
      respect_robots_txt: true,
      parse_now: false,
      parse_now_max: 20,
    });
  });

  it('refuses max_depth outside 1..3', () => {
    expect(
      issuesOf(sitemapConfigSchema, { sitemap_url: 'https://news.example.test/s.xml', max_depth: 4 }).map(
        (issue) => issue.path,
      ),
    ).toEqual(['config.max_depth']);
  });
});

describe('the task catalogue', () => {
  it('lists rss_feed', () => {
    expect(taskTypes).toContain('rss_feed');
  });

  it('has unique task types', () => {
    expect(new Set(taskTypes).size).toBe(taskDefinitions.length);
  });

  it.each(taskDefinitions.map((task) => [task.type, task] as const))(
    '%s: its example validates against its own schema',
    (_type, task) => {
      const result = task.configSchema.safeParse(task.example);
      expect(result.success, result.success ? '' : describeFieldIssues(toFieldIssues(result.error, 'example'))).toBe(
        true,
      );
    },
  );

  // telegram_bulk_parser reads every Telegram source with defaults for every field, so {} is a whole config.
  const tasksNeedingConfig = taskDefinitions.filter((task) => task.type !== 'telegram_bulk_parser');
  it.each(tasksNeedingConfig.map((task) => [task.type, task] as const))(
    '%s: its schema refuses an empty config',
    (_type, task) => {
      expect(task.configSchema.safeParse({}).success).toBe(false);
    },
  );

  it.each(taskDefinitions.map((task) => [task.type, task] as const))(
    '%s: has readable durations that nest (heartbeat < attempt <= all attempts)',
    (_type, task) => {
      const heartbeat = msToNumber(task.activity.heartbeatTimeout as Duration);
      const attempt = msToNumber(task.activity.startToCloseTimeout as Duration);
      const overall = msToNumber(task.activity.scheduleToCloseTimeout as Duration);
      expect(heartbeat).toBeGreaterThan(0);
      expect(heartbeat).toBeLessThan(attempt);
      expect(attempt).toBeLessThanOrEqual(overall);
      expect(msToNumber(task.activity.retry.initialInterval as Duration)).toBeLessThanOrEqual(
        msToNumber(task.activity.retry.maximumInterval as Duration),
      );
      expect(task.activity.retry.maximumAttempts).toBeGreaterThanOrEqual(1);
    },
  );

  it('finds a definition by type and nothing for an unknown type', () => {
    expect(findTaskDefinition('rss_feed')?.configSchema).toBe(rssFeedConfigSchema);
    expect(findTaskDefinition('carrier_pigeon')).toBeUndefined();
    expect(isTaskType('rss_feed')).toBe(true);
    expect(isTaskType('RSS_FEED')).toBe(false);
  });
});

describe('field issue paths', () => {
  const schema = z.object({ config: z.object({ urls: z.array(z.string()), depth: z.number() }) }).strict();
  const error = schema.safeParse({ config: { urls: ['ok', 7], depth: 'deep' }, extra: true }).error!;

  it('joins a nested path with dots, array indexes included, under the given prefix', () => {
    expect(
      toFieldIssues(error, 'body')
        .map((issue) => issue.path)
        .sort(),
    ).toEqual(['body', 'body.config.depth', 'body.config.urls.1']);
  });

  it('uses the bare path without a prefix, and "(root)" for the object itself', () => {
    expect(
      toFieldIssues(error)
        .map((issue) => issue.path)
        .sort(),
    ).toEqual(['(root)', 'config.depth', 'config.urls.1']);
  });

  it('keeps the message of each issue', () => {
    const root = toFieldIssues(error).find((issue) => issue.path === '(root)');
    expect(root?.message).toContain('extra');
  });

  it('describes issues as "path: message" joined by semicolons', () => {
    expect(
      describeFieldIssues([
        { path: 'config.url', message: 'must be an absolute http(s) URL' },
        { path: 'config.max_items', message: 'too big' },
      ]),
    ).toBe('config.url: must be an absolute http(s) URL; config.max_items: too big');
    expect(describeFieldIssues([])).toBe('');
  });
});

describe('parse_now', () => {
  it('plans enrichment only when a validated config turns it on', () => {
    expect(enrichmentPlan(rssFeedConfigSchema.parse({ url: 'https://a.test/rss' }))).toBeNull();
    expect(enrichmentPlan(rssFeedConfigSchema.parse({ url: 'https://a.test/rss', parse_now: true }))).toEqual({
      max: 20,
      respectRobots: true,
    });
    expect(
      enrichmentPlan(
        sitemapConfigSchema.parse({
          sitemap_url: 'https://a.test/s.xml',
          parse_now: true,
          parse_now_max: 3,
          respect_robots_txt: false,
        }),
      ),
    ).toEqual({ max: 3, respectRobots: false });
    expect(enrichmentPlan(null)).toBeNull();
  });

  it('bounds parse_now_max to 1..100', () => {
    expect(
      issuesOf(rssFeedConfigSchema, { url: 'https://a.test/rss', parse_now: true, parse_now_max: 101 }).map(
        (issue) => issue.path,
      ),
    ).toEqual(['config.parse_now_max']);
  });
});

import { Context } from '@temporalio/activity';
import type { z } from 'zod';
import { describeFieldIssues, toFieldIssues } from '../../schemas/validation.js';
import { validationFailure } from '../failures.js';
import { keepHeartbeating } from '../heartbeat.js';
import type { CollectionActivity, TaskActivityDeps } from '../tasks/task-activity.js';
import { searchEachKeyword, type KeywordProgress } from './each-keyword.js';
import type { FetchSearchText, KeywordSearch } from './search-page.js';

/** What a search task makes of its validated config. */
export interface SearchPlan {
  engine: string;
  keywords: readonly string[];
  limit: number;
  search: KeywordSearch;
}

/**
 * The activity every search task shares: validate, then search keyword by keyword on the worker's
 * HTTP client, heartbeating `{ keyword, done, total }` so a cancel reaches the open request.
 */
export function createSearchActivity<TConfig extends { respect_robots_txt: boolean }>(
  deps: TaskActivityDeps,
  schema: z.ZodType<TConfig>,
  plan: (config: TConfig, fetchText: FetchSearchText) => SearchPlan,
): CollectionActivity {
  return async function search(rawConfig) {
    const parsed = schema.safeParse(rawConfig);
    if (!parsed.success) throw validationFailure(describeFieldIssues(toFieldIssues(parsed.error, 'config')));
    const config = parsed.data;
    const context = Context.current();
    const fetchText: FetchSearchText = (url, accept) =>
      deps.http.getText(url, context.cancellationSignal, { accept, respectRobots: config.respect_robots_txt });
    const { engine, keywords, limit, search: searchKeyword } = plan(config, fetchText);
    const progress: KeywordProgress = { keyword: null, done: 0, total: keywords.length };
    const stopHeartbeating = keepHeartbeating(() => ({ ...progress }));
    try {
      const { items, found } = await searchEachKeyword(keywords, limit, searchKeyword, progress);
      context.log.info('search done', { engine, keywords: keywords.length, found, items: items.length });
      return { items, found, attempt: context.info.attempt };
    } finally {
      stopHeartbeating();
    }
  };
}

import type { CollectedItem } from '../../schemas/stream-run.js';
import type { FetchedText } from '../http/http-client.js';

/** Fetches one search address as text on the worker's polite client, with the run's cancellation and robots setting. */
export type FetchSearchText = (url: string, accept: string) => Promise<FetchedText>;

/** What one keyword's search gave: usable results in the engine's order, and how many it listed in all. */
export interface SearchPage {
  items: CollectedItem[];
  offered: number;
}

/** Searches one keyword; `limit` is what the run will keep, for engines that take a count or page. */
export type KeywordSearch = (keyword: string, limit: number) => Promise<SearchPage>;

export const RSS_ACCEPT = 'application/rss+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5';
export const JSON_ACCEPT = 'application/json, text/javascript;q=0.9, */*;q=0.5';

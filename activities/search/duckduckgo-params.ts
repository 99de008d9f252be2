export type DuckDuckGoSafeSearch = 'on' | 'moderate' | 'off';

/** DuckDuckGo's safe-search codes, the same for news (p) and the HTML results (kp). */
export const SAFE_SEARCH_CODE: Record<DuckDuckGoSafeSearch, string> = { on: '1', moderate: '-1', off: '-2' };

export interface DuckDuckGoQuery {
  region: string;
  timeRange: 'd' | 'w' | 'm';
  safesearch: DuckDuckGoSafeSearch;
}

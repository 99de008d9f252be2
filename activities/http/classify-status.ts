/** Statuses worth retrying: the same request may well succeed later. Everything else 4xx is permanent. */
const TRANSIENT_STATUSES = new Set([408, 425, 429, 500, 502, 503, 504]);

export type StatusClass = 'ok' | 'not-modified' | 'transient' | 'permanent';

export function classifyStatus(status: number): StatusClass {
  if (status >= 200 && status < 300) return 'ok';
  if (status === 304) return 'not-modified';
  if (TRANSIENT_STATUSES.has(status) || status >= 500) return 'transient';
  return 'permanent';
}

import { randomBytes } from 'node:crypto';

/** Short, URL-safe, prefixed ids: readable in logs, workflow ids and the Temporal UI. */
export function newId(prefix: 'str' | 'src' | 'med'): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const fixturesDir = fileURLToPath(new URL('../fixtures/', import.meta.url));

export function readFixture(relativePath: string): Buffer {
  return readFileSync(new URL(`../fixtures/${relativePath}`, import.meta.url));
}

export function readFixtureText(relativePath: string): string {
  return readFixture(relativePath).toString('utf8');
}

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder holding the project's package.json, found by walking up from this module. The same code
 * runs from its sources (`src/…`, through tsx) and bundled into `dist/*.mjs` (scripts/build.ts), so a
 * path written relative to one file's place would be right in one of the two and wrong in the other.
 */
export function findProjectRoot(start: string = fileURLToPath(import.meta.url)): string {
  for (let folder = dirname(start); ; folder = dirname(folder)) {
    if (existsSync(join(folder, 'package.json'))) return folder;
    if (dirname(folder) === folder) throw new Error(`no package.json above ${start}`);
  }
}

export const projectRoot = findProjectRoot();

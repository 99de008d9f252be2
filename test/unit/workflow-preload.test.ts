import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/project-root.js';
import { workflowPreloadModules } from '../../src/temporal/workflow-preload.js';
import { loadRunSchemas } from '../../workflows/shared-run-schemas.js';

const workflowsDir = join(projectRoot, 'workflows');
/** The one module through which workflows may reach the schema modules that build zod schemas as they load. */
const runSchemasPath = join(workflowsDir, 'run-schemas.ts');

/** What a file imports for its values (type-only imports and exports cost nothing at run time). */
function valueImports(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  return [...source.matchAll(/^(?:import|export) (type )?[^;]*?from '([^']+)';/gms)]
    .filter(([, typeOnly]) => !typeOnly)
    .map(([, , specifier]) => specifier!);
}

/** The project files a workflow file reaches through value imports, and the packages they load. */
function reachedFrom(start: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const pending = [start];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (files.has(file) || file === runSchemasPath) continue;
    files.add(file);
    for (const specifier of valueImports(file)) {
      if (!specifier.startsWith('.')) packages.add(specifier);
      else pending.push(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
    }
  }
  return { files, packages };
}

describe('the run schemas, loaded once per worker', () => {
  it('are the only zod the workflows reach, through any chain of imports', () => {
    const workflowFiles = readdirSync(workflowsDir, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts'))
      .map((file) => join(workflowsDir, file))
      .filter((file) => file !== runSchemasPath);
    for (const file of workflowFiles) {
      const { files, packages } = reachedFrom(file);
      for (const reached of files) expect(existsSync(reached), `${relative(projectRoot, reached)} exists`).toBe(true);
      expect(
        [...packages].filter((name) => name === 'zod' || name.startsWith('zod/')),
        relative(projectRoot, file),
      ).toEqual([]);
    }
    // …while run-schemas.ts does reach zod, so the check above is not vacuous.
    const throughRunSchemas = valueImports(runSchemasPath).map((specifier) =>
      reachedFrom(resolve(workflowsDir, specifier.replace(/\.js$/, '.ts'))),
    );
    expect(throughRunSchemas.some(({ packages }) => packages.has('zod'))).toBe(true);
  });

  it('are reached through the module the worker preloads', () => {
    expect(workflowPreloadModules).toEqual([join(workflowsDir, 'shared-run-schemas.ts')]);
  });

  it('are one copy for every run that asks after the first load', async () => {
    const first = await loadRunSchemas();
    expect(await loadRunSchemas()).toBe(first);
    expect(first.findTaskDefinition('rss_feed')?.configSchema.safeParse({ url: 'https://example.com/f' }).success).toBe(
      true,
    );
  });
});

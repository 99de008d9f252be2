import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/project-root.js';
import { workflowPreloadModules } from '../../src/temporal/workflow-preload.js';
import { loadRunSchemas } from '../../workflows/shared-run-schemas.js';

const workflowsDir = join(projectRoot, 'workflows');
/** The one module that may import the schema modules that build zod schemas as they load. */
const runSchemasFile = 'run-schemas.ts';

/** The schema modules a file imports for their values (type-only imports cost nothing at run time). */
function schemaValueImports(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  return [...source.matchAll(/^(?:import|export) (type )?[^;]*?from '(?:\.\.\/)+schemas\/([\w/-]+)\.js';/gms)]
    .filter(([, typeOnly]) => !typeOnly)
    .map(([, , path]) => join(projectRoot, 'schemas', `${path}.ts`));
}

const loadsZod = (file: string) => /^import (?!type )[^;]*?from 'zod';/ms.test(readFileSync(file, 'utf8'));

describe('the run schemas, loaded once per worker', () => {
  it('are the only schemas the workflows import that build zod schemas as they load', () => {
    const workflowFiles = readdirSync(workflowsDir).filter((file) => file.endsWith('.ts'));
    for (const file of workflowFiles.filter((name) => name !== runSchemasFile))
      for (const schema of schemaValueImports(join(workflowsDir, file)))
        expect(loadsZod(schema), `${file} imports ${schema}, which loads zod: reach it through run-schemas.ts`).toBe(
          false,
        );
    // …and run-schemas.ts does hold the ones that do, so the check above is not vacuous.
    expect(schemaValueImports(join(workflowsDir, runSchemasFile)).filter(loadsZod).length).toBeGreaterThan(2);
  });

  it('are reached through the module the worker preloads', () => {
    expect(workflowPreloadModules).toEqual([join(workflowsDir, 'shared-run-schemas.ts')]);
  });

  it('are one copy for every run that asks', async () => {
    const [first, second] = await Promise.all([loadRunSchemas(), loadRunSchemas()]);
    expect(second).toBe(first);
    expect(await loadRunSchemas()).toBe(first);
    expect(first.findTaskDefinition('rss_feed')?.configSchema.safeParse({ url: 'https://example.com/f' }).success).toBe(
      true,
    );
  });
});

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { workflowBundleDigest, writableBundleDir } from '../../src/temporal/workflow-bundle.js';

function projectCopy(): string {
  const root = mkdtempSync(join(tmpdir(), 'newloom-digest-'));
  for (const dir of ['workflows', 'schemas/tasks', 'scripts', 'src/temporal'])
    mkdirSync(join(root, dir), { recursive: true });
  writeFileSync(join(root, 'workflows/index.ts'), 'export * from "./stream-run.js";');
  writeFileSync(join(root, 'schemas/tasks/rss.ts'), 'export const a = 1;');
  writeFileSync(join(root, 'package-lock.json'), '{"packages":{}}');
  writeFileSync(join(root, 'scripts/bundle-workflows.ts'), '// recipe');
  writeFileSync(join(root, 'src/temporal/workflow-preload.ts'), 'export const workflowPreloadModules = [];');
  return root;
}

describe('the cached workflow bundle is named by a digest of what goes into it', () => {
  it('is stable for the same inputs and changes with a workflow, a schema, the lockfile or the preload list', () => {
    const root = projectCopy();
    const first = workflowBundleDigest(root);
    expect(workflowBundleDigest(root)).toBe(first);

    writeFileSync(join(root, 'schemas/tasks/rss.ts'), 'export const a = 2;');
    const afterSchema = workflowBundleDigest(root);
    expect(afterSchema).not.toBe(first);

    writeFileSync(join(root, 'package-lock.json'), '{"packages":{"zod":{}}}');
    const afterLockfile = workflowBundleDigest(root);
    expect(afterLockfile).not.toBe(afterSchema);

    // What the worker preloads is compiled into the bundle's entry point.
    writeFileSync(join(root, 'src/temporal/workflow-preload.ts'), 'export const workflowPreloadModules = ["x"];');
    expect(workflowBundleDigest(root)).not.toBe(afterLockfile);
  });

  it('tells a renamed file from the same bytes under another name', () => {
    const root = projectCopy();
    const before = workflowBundleDigest(root);
    writeFileSync(join(root, 'schemas/tasks/other.ts'), 'export const a = 1;');
    expect(workflowBundleDigest(root)).not.toBe(before);
  });
});

describe('where bundles are kept', () => {
  it("uses the project's cache when it can be written, and the temporary directory when it cannot", () => {
    const writable = join(mkdtempSync(join(tmpdir(), 'newloom-cache-')), 'workflow-bundle');
    expect(writableBundleDir(writable)).toBe(writable);
    expect(existsSync(writable)).toBe(true);

    // A folder under a file can never be made (ENOTDIR), whoever runs the test (root ignores modes).
    const file = join(mkdtempSync(join(tmpdir(), 'newloom-cache-')), 'a-file');
    writeFileSync(file, '');
    expect(writableBundleDir(join(file, 'workflow-bundle'))).toBe(join(tmpdir(), 'newloom-workflow-bundle'));
  });
});

import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { Logger } from 'pino';
import { projectRoot } from '../project-root.js';

const bundleScript = join(projectRoot, 'scripts/bundle-workflows.ts');
/** What the bundle is made of: the workflows, the schemas they import, the locked packages, the recipe. */
const bundleInputs = [
  'workflows',
  'schemas',
  'package-lock.json',
  'scripts/bundle-workflows.ts',
  'src/temporal/workflow-preload.ts',
];

/** Thrown when the bundler child fails; its output says why. */
export class WorkflowBundleError extends Error {
  override readonly name = 'WorkflowBundleError';
}

function filesUnder(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((entry) => filesUnder(join(path, entry)));
}

/** A digest of every input's path and bytes: any change to what goes into the bundle changes it. */
export function workflowBundleDigest(root = projectRoot): string {
  const hash = createHash('sha256');
  for (const input of bundleInputs)
    for (const file of filesUnder(join(root, input)))
      hash.update(relative(root, file)).update('\0').update(readFileSync(file));
  return hash.digest('hex').slice(0, 16);
}

/**
 * Where bundles are kept: `preferred` when it can be written (the project's .cache), else a folder in
 * the system's temporary directory, for an installation whose files are read-only (a container run as
 * a user who owns none of them, without the image's WORKFLOW_BUNDLE_PATH).
 */
export function writableBundleDir(preferred: string): string {
  try {
    mkdirSync(preferred, { recursive: true });
    accessSync(preferred, constants.W_OK);
    return preferred;
  } catch {
    const fallback = join(tmpdir(), 'newloom-workflow-bundle');
    mkdirSync(fallback, { recursive: true });
    return fallback;
  }
}

/**
 * The path of a workflow bundle for the code as it is, built once and kept in `.cache/workflow-bundle/`
 * under a digest of its inputs. Built in a child process, so webpack (well over 100 MB) never enters
 * the worker's memory, and done once per change of the workflows rather than at every start of every
 * worker. The production image builds its bundle at image build instead (WORKFLOW_BUNDLE_PATH).
 */
export async function prebuiltWorkflowBundle(
  options: { cacheDir?: string; logger?: Logger } = {},
): Promise<{ codePath: string }> {
  const bundleName = `workflow-bundle-${workflowBundleDigest()}.js`;
  const preferredDir = options.cacheDir ?? join(projectRoot, '.cache/workflow-bundle');
  if (existsSync(join(preferredDir, bundleName))) return { codePath: join(preferredDir, bundleName) };
  const cacheDir = writableBundleDir(preferredDir);
  const codePath = join(cacheDir, bundleName);
  if (existsSync(codePath)) return { codePath };

  const started = Date.now();
  // Written aside and renamed: two processes building at once never read a half-written bundle.
  const partial = `${codePath}.${process.pid}.partial`;
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', bundleScript, partial], {
      cwd: projectRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => (text = (text + chunk.toString()).slice(-4000)));
    child.stderr.on('data', (chunk: Buffer) => (text = (text + chunk.toString()).slice(-4000)));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve(text) : reject(new WorkflowBundleError(`bundling the workflows failed (${code}): ${text}`)),
    );
  });
  renameSync(partial, codePath);
  for (const stale of readdirSync(cacheDir))
    if (stale.startsWith('workflow-bundle-') && join(cacheDir, stale) !== codePath && !stale.endsWith('.partial'))
      rmSync(join(cacheDir, stale), { force: true });
  options.logger?.info(
    { codePath, ms: Date.now() - started, bundler: output.split('\n').find((line) => line.includes('wrote')) },
    'workflow bundle built',
  );
  return { codePath };
}

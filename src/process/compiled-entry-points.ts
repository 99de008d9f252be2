import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';
import { projectRoot } from '../project-root.js';

/**
 * The processes NewLoom runs, compiled to plain JavaScript: output name → source. The extraction
 * thread sits beside them because it is started by a path relative to the module that starts it.
 */
export const entryPointSources = {
  main: 'src/main.ts',
  server: 'src/server.ts',
  'worker-main': 'src/worker-main.ts',
  'setup-main': 'src/setup-main.ts',
  'extract-article-thread': 'activities/articles/extract-article-thread.ts',
} as const;

export type EntryPointName = keyof typeof entryPointSources;

/**
 * The old-space limit, in MB, of a process that runs activities (`main`, `worker-main`). Unset, V8 sizes
 * it from the machine (4 GB on 24 GiB) and, with room to spare, lets garbage pile up: a worker's heap
 * rose to 330–380 MB under 50 concurrent runs with 10 MB of it live, and its RSS to 650–715 MB. Capped,
 * the same load peaks at 126 MB of heap (docs/benchmarks.md). 384 leaves room for two of the largest
 * feeds a task may read (10 MiB, ~150 MB of heap each through feedsmith) parsed at once; article
 * extraction has threads with limits of their own. Written out in scripts/start.sh, the Dockerfile and
 * docker-compose.yml (test/unit/docker-compose.test.ts holds them to this).
 */
export const ACTIVITY_PROCESS_OLD_SPACE_MB = 384;

/** Node's arguments for an entry point: the heap cap for the processes that run activities. */
export function nodeArgumentsFor(name: EntryPointName): string[] {
  return name === 'main' || name === 'worker-main' ? [`--max-old-space-size=${ACTIVITY_PROCESS_OLD_SPACE_MB}`] : [];
}

export const defaultBuildDir = join(projectRoot, 'dist');

/** Where a compiled entry point is written. */
export function compiledEntryPath(name: EntryPointName, outDir = defaultBuildDir): string {
  return join(outDir, `${name}.mjs`);
}

/** How NewLoom compiles a module to run: one ES module of the project's own code, node_modules imported as they are. */
export const compileSettings = {
  bundle: true,
  packages: 'external',
  platform: 'node',
  format: 'esm',
  target: 'node20',
} as const;

/**
 * Compiles every entry point into `outDir` (about a second): each one ES module holding the project's
 * own code, with node_modules imported as they are. Processes that run for days then start without tsx,
 * which holds tens of megabytes for its transpiler and its cache (docs/benchmarks.md). Paths to the
 * project's files come from package.json (src/project-root.ts), not from a module's own place, so the
 * same code runs from its sources and from here; `outDir` must therefore lie inside the project.
 * Files are written aside and renamed, so a process starting meanwhile never loads half a file.
 */
export async function compileEntryPoints(outDir = defaultBuildDir): Promise<{ files: string[]; ms: number }> {
  const started = Date.now();
  const result = await build({
    absWorkingDir: projectRoot,
    entryPoints: Object.entries(entryPointSources).map(([out, source]) => ({ out, in: source })),
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    ...compileSettings,
    // Linked maps cost nothing until NODE_OPTIONS=--enable-source-maps asks stack traces to use them.
    sourcemap: 'linked',
    write: false,
    logLevel: 'silent',
  });
  mkdirSync(outDir, { recursive: true });
  for (const file of result.outputFiles) {
    mkdirSync(dirname(file.path), { recursive: true });
    const partial = `${file.path}.${process.pid}.partial`;
    writeFileSync(partial, file.contents);
    renameSync(partial, file.path);
  }
  return { files: result.outputFiles.map((file) => file.path), ms: Date.now() - started };
}

/**
 * `npm run build`: the entry points compiled to plain JavaScript in `dist/` (or the folder given), which
 * `npm start`, the cluster and the production images run instead of the TypeScript sources.
 *   node --import tsx scripts/build.ts [out-dir]
 */
import { relative, resolve } from 'node:path';
import { compileEntryPoints, defaultBuildDir } from '../src/process/compiled-entry-points.js';

const outDir = process.argv[2] ? resolve(process.argv[2]) : defaultBuildDir;
const { files, ms } = await compileEntryPoints(outDir);
const entries = files.filter((file) => file.endsWith('.mjs')).map((file) => relative(process.cwd(), file));
console.error(`[build] ${entries.join(', ')} in ${ms} ms`);

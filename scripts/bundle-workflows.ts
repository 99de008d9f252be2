/**
 * Builds the workflow bundle ahead of time (the production image runs it at build), so a worker starts
 * without webpack: `tsx scripts/bundle-workflows.ts <out.js>`, then WORKFLOW_BUNDLE_PATH=<out.js>.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { workflowsPath } from '../src/temporal/worker.js';
import { workflowPreloadModules } from '../src/temporal/workflow-preload.js';

const out = resolve(process.argv[2] ?? 'dist/workflow-bundle.js');
const { code } = await bundleWorkflowCode({ workflowsPath, preloadModules: [...workflowPreloadModules] });
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, code);
console.error(`[bundle-workflows] wrote ${out} (${(code.length / 1024).toFixed(0)} KiB)`);

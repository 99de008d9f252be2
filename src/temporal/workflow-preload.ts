import { join } from 'node:path';
import { projectRoot } from '../project-root.js';

/**
 * Modules a worker's shared V8 context loads once, at start, and shares between runs (the bundler's
 * `preloadModules`). Why, and what sharing asks of them: workflows/shared-run-schemas.ts.
 */
export const workflowPreloadModules: readonly string[] = [join(projectRoot, 'workflows/shared-run-schemas.ts')];

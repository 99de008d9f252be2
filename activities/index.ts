import { findValidator } from '../src/db/items-repository.js';
import { createStoreActivities, type StoreActivityDeps } from './store.js';
import { createTaskActivities } from './tasks/index.js';
import type { TaskActivityConfig } from './tasks/task-activity.js';

export type ActivityDeps = TaskActivityConfig & StoreActivityDeps;

/** Every activity the worker registers, built from its dependencies (tests pass their own). */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createTaskActivities({ ...deps, findValidator: (sourceId, url) => findValidator(deps.db, sourceId, url) }),
    ...createStoreActivities(deps),
  };
}

/** The shape workflows proxy; imported by them as a type only. */
export type Activities = ReturnType<typeof createActivities>;

import { findValidator, saveItems } from '../src/db/items-repository.js';
import { listSourcesOnHosts } from '../src/db/sources-repository.js';
import { createEnrichActivities } from './enrich.js';
import { HttpClient } from './http/http-client.js';
import { createStoreActivities, type StoreActivityDeps } from './store.js';
import { createTaskActivities } from './tasks/index.js';
import type { TaskActivityConfig } from './tasks/task-activity.js';

export type ActivityDeps = TaskActivityConfig & StoreActivityDeps;

/** Every activity the worker registers, built from its dependencies (tests pass their own). */
export function createActivities(deps: ActivityDeps) {
  // One client for every activity of the worker, so per-host politeness spans them all.
  const http = new HttpClient(deps.http, deps.logger);
  return {
    ...createTaskActivities({
      ...deps,
      httpClient: http,
      findValidator: (sourceId, url) => findValidator(deps.db, sourceId, url),
      listSourcesOnHosts: (hosts) => listSourcesOnHosts(deps.db, hosts),
      saveItems: (input) => saveItems(deps.db, input),
    }),
    ...createEnrichActivities({ db: deps.db, http, logger: deps.logger }),
    ...createStoreActivities(deps),
  };
}

/** The shape workflows proxy; imported by them as a type only. */
export type Activities = ReturnType<typeof createActivities>;

/**
 * One copy of the run schemas per worker, instead of one per run.
 *
 * With `reuseV8Context` (the SDK's default) each workflow evaluates its own copy of every module it
 * imports. The stream run's schema modules build zod schemas as they load, every task type's config
 * among them, and building them, with zod's own modules, took 60% of the workflow thread's time per
 * run and held a copy per cached run (docs/benchmarks.md).
 *
 * This module is preloaded into the worker's shared context (src/temporal/workflow-preload.ts). It
 * loads the run schemas (workflows/run-schemas.ts) the first time a run asks and keeps them for the
 * runs after it. Sharing them is sound because they are pure: schemas, constants and functions of
 * their arguments, with nothing kept from one call to the next. They are held here rather than
 * preloaded themselves because the SDK freezes preloaded modules, and zod completes a schema on its
 * first use. Loading them issues no command, so it changes no run's history.
 */
import type * as runSchemaModule from './run-schemas.js';

export type RunSchemas = typeof runSchemaModule;

let loaded: RunSchemas | undefined;

/**
 * The module itself is kept, once loaded, never a pending load: a load cut short (the SDK stops an
 * activation that runs past its time limit, in a way no handler sees) must leave the next run to load
 * its own copy, not to wait on a promise that will never settle. Two runs that ask at once may each
 * load a copy; the later one is kept.
 */
export async function loadRunSchemas(): Promise<RunSchemas> {
  loaded ??= await import(/* webpackMode: "eager" */ './run-schemas.js');
  return loaded;
}

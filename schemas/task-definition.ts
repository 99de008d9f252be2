import type { z } from 'zod';

/**
 * Temporal activity settings a task runs with. Each task declares its own because a feed fetch and a
 * browser crawl fail, stall and recover on very different clocks. Durations use Temporal's string form.
 */
export interface TaskActivityDefaults {
  /** Longest a single attempt may run before Temporal times it out and retries it. */
  startToCloseTimeout: string;
  /** An attempt that stops heartbeating for this long is considered stalled and retried. */
  heartbeatTimeout: string;
  /** Upper bound over all attempts together, retries included. */
  scheduleToCloseTimeout: string;
  retry: {
    initialInterval: string;
    backoffCoefficient: number;
    maximumInterval: string;
    maximumAttempts: number;
  };
}

export type TaskProduct = 'links' | 'docs' | 'publications';

/** One entry of the task catalogue: pure data, importable by workflows, activities, the API and docs. */
export interface TaskDefinition<
  TType extends string = string,
  TSchema extends z.ZodType = z.ZodType,
  TProduces extends TaskProduct = TaskProduct,
> {
  type: TType;
  title: string;
  description: string;
  /**
   * What the task produces, which decides the run's shape: `links` are collected, then saved as items;
   * `docs` are written for a medium, then saved as its docs; `publications` are the task's own side
   * effects (messages sent), recorded by its activity as it goes.
   */
  produces: TProduces;
  configSchema: TSchema;
  /** A config that validates; shown in the API catalogue and the docs. */
  example: z.input<TSchema>;
  activity: TaskActivityDefaults;
}

export function defineTask<const TType extends string, TSchema extends z.ZodType, const TProduces extends TaskProduct>(
  definition: TaskDefinition<TType, TSchema, TProduces>,
): TaskDefinition<TType, TSchema, TProduces> {
  return definition;
}

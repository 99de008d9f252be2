import { z } from 'zod';
import type { TaskActivityDefaults } from './task-definition.js';

/**
 * What a stream may change about how its task runs. Bounded so no stream can retry forever, hold a
 * worker slot for hours, or stop heartbeating long enough to hide a dead worker.
 */
export const runPolicySchema = z
  .object({
    startToCloseTimeoutSeconds: z.number().int().min(1).max(3600).optional().describe('Longest one attempt may run.'),
    heartbeatTimeoutSeconds: z
      .number()
      .int()
      .min(1)
      .max(300)
      .optional()
      .describe('An attempt silent for this long is retried.'),
    scheduleToCloseTimeoutSeconds: z
      .number()
      .int()
      .min(5)
      .max(6 * 3600)
      .optional()
      .describe('Longest all attempts together may take.'),
    maximumAttempts: z.number().int().min(1).max(20).optional().describe('Attempts before the run fails.'),
    initialIntervalSeconds: z.number().min(0.1).max(300).optional().describe('Wait before the first retry.'),
    maximumIntervalSeconds: z.number().min(1).max(3600).optional().describe('Longest wait between retries.'),
    quarantineAfterFailures: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .optional()
      .describe(
        'Consecutive failed runs after which the stream is quarantined: its schedule paused, a slow probe run instead (default 5).',
      ),
    quarantineAfterPermanentFailures: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .optional()
      .describe(
        'The same when the last failure is permanent (HTTP 404, not a feed, bad config: a retry cannot fix it; default 2).',
      ),
  })
  .strict();

export type RunPolicy = z.output<typeof runPolicySchema>;

const seconds = (value: number) => `${value} seconds`;

/** The task's activity settings with the stream's overrides laid over them. */
export function applyRunPolicy(defaults: TaskActivityDefaults, policy: RunPolicy | undefined): TaskActivityDefaults {
  if (!policy) return defaults;
  return {
    startToCloseTimeout: policy.startToCloseTimeoutSeconds
      ? seconds(policy.startToCloseTimeoutSeconds)
      : defaults.startToCloseTimeout,
    heartbeatTimeout: policy.heartbeatTimeoutSeconds
      ? seconds(policy.heartbeatTimeoutSeconds)
      : defaults.heartbeatTimeout,
    scheduleToCloseTimeout: policy.scheduleToCloseTimeoutSeconds
      ? seconds(policy.scheduleToCloseTimeoutSeconds)
      : defaults.scheduleToCloseTimeout,
    retry: {
      backoffCoefficient: defaults.retry.backoffCoefficient,
      maximumAttempts: policy.maximumAttempts ?? defaults.retry.maximumAttempts,
      initialInterval: policy.initialIntervalSeconds
        ? seconds(policy.initialIntervalSeconds)
        : defaults.retry.initialInterval,
      maximumInterval: policy.maximumIntervalSeconds
        ? seconds(policy.maximumIntervalSeconds)
        : defaults.retry.maximumInterval,
    },
  };
}

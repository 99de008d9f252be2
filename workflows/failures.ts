import { ActivityFailure, ApplicationFailure, CancelledFailure, TimeoutFailure } from '@temporalio/workflow';
import { ATTEMPT_DETAIL_KEY, FailureType } from '../schemas/failure-types.js';
import { describeFieldIssues, type FieldIssue } from '../schemas/validation.js';

/** A run that can never succeed as given: fail at once, with every field problem in the message. */
export function validationFailure(issues: FieldIssue[]): ApplicationFailure {
  return ApplicationFailure.create({
    type: FailureType.Validation,
    message: `invalid run input: ${describeFieldIssues(issues)}`,
    nonRetryable: true,
    details: [{ issues }],
  });
}

/** The innermost message of a failure chain: "GET … answered HTTP 404", not "Activity task failed". */
export function rootCauseMessage(error: unknown): string {
  let current: unknown = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return current instanceof Error ? current.message : String(current);
}

/** The type of the innermost typed failure of a chain (schemas/failure-types.ts), or null when none has one. */
export function rootFailureType(error: unknown): string | null {
  let found: string | null = null;
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    if (current instanceof ApplicationFailure && current.type) found = current.type;
  }
  return found;
}

/**
 * Which attempt of an activity ended in this failure: the detail the registered task activities add
 * (activities/tasks/attempt-on-failure.ts), else what the failure itself implies. A timed-out attempt
 * reports nothing (its worker may be gone): running out of attempts means all were used, and a heartbeat
 * or start-to-close timeout means at least one ran.
 */
export function failedAttempt(error: unknown, maximumAttempts: number): number | undefined {
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    const details =
      current instanceof ApplicationFailure || current instanceof CancelledFailure ? current.details : undefined;
    for (const detail of details ?? []) {
      const attempt =
        typeof detail === 'object' && detail !== null
          ? (detail as Record<string, unknown>)[ATTEMPT_DETAIL_KEY]
          : undefined;
      if (typeof attempt === 'number' && attempt > 0) return attempt;
    }
  }
  if (!(error instanceof ActivityFailure)) return undefined;
  if (error.retryState === 'MAXIMUM_ATTEMPTS_REACHED' && maximumAttempts > 0) return maximumAttempts;
  if (
    error.cause instanceof TimeoutFailure &&
    (error.cause.timeoutType === 'HEARTBEAT' || error.cause.timeoutType === 'START_TO_CLOSE')
  )
    return 1;
  return undefined;
}

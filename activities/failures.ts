import { ApplicationFailure } from '@temporalio/activity';
import { FailureType } from '../schemas/failure-types.js';

/**
 * Builders for the failures activities throw. Intent travels with the error (its type, whether a retry
 * can help, when to retry), so the workflow's retry policy needs no knowledge of any task.
 */
export function permanentFailure(type: string, message: string, details?: Record<string, unknown>): ApplicationFailure {
  return ApplicationFailure.create({ type, message, nonRetryable: true, details: details ? [details] : [] });
}

export function transientFailure(
  type: string,
  message: string,
  options: { retryAfterMs?: number | undefined; details?: Record<string, unknown> } = {},
): ApplicationFailure {
  return ApplicationFailure.create({
    type,
    message,
    nonRetryable: false,
    details: options.details ? [options.details] : [],
    ...(options.retryAfterMs !== undefined ? { nextRetryDelay: options.retryAfterMs } : {}),
  });
}

export function validationFailure(message: string): ApplicationFailure {
  return permanentFailure(FailureType.Validation, message);
}

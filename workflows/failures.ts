import { ApplicationFailure } from '@temporalio/workflow';
import { FailureType } from '../schemas/failure-types.js';
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

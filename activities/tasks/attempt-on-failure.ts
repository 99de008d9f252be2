import { ApplicationFailure, CancelledFailure, Context } from '@temporalio/activity';
import { ATTEMPT_DETAIL_KEY } from '../../schemas/stream-run.js';

/**
 * A task activity whose failures say which attempt failed. A successful attempt reports it in its
 * result; a failed or cancelled one has only its failure to tell the workflow, so the attempt rides as
 * the last of the failure's details. Everything else of the failure stays as the task threw it: its
 * type, message, retryability, retry delay, cause and earlier details.
 */
export function reportingAttempt<Args extends unknown[], Result>(
  activity: (...args: Args) => Promise<Result>,
): (...args: Args) => Promise<Result> {
  return async (...args) => {
    try {
      return await activity(...args);
    } catch (error) {
      throw withAttempt(error, Context.current());
    }
  };
}

function withAttempt(error: unknown, context: Context): unknown {
  const attempt = { [ATTEMPT_DETAIL_KEY]: context.info.attempt };
  if (error instanceof CancelledFailure)
    return keepStack(new CancelledFailure(error.message, [...error.details, attempt], error.cause), error);
  // fetch rejects with an AbortError when the cancel aborts its signal; the worker reports either as cancelled.
  if (error instanceof Error && error.name === 'AbortError' && context.cancellationSignal.aborted)
    return keepStack(new CancelledFailure(error.message, [attempt]), error);
  if (error instanceof ApplicationFailure) {
    const retryDelay: unknown = error.nextRetryDelay;
    return keepStack(
      ApplicationFailure.create({
        message: error.message,
        ...(error.type ? { type: error.type } : {}),
        nonRetryable: error.nonRetryable === true,
        details: [...(error.details ?? []), attempt],
        cause: error.cause,
        // Our failures give the delay in milliseconds (activities/failures.ts transientFailure).
        ...(typeof retryDelay === 'number' ? { nextRetryDelay: retryDelay } : {}),
      }),
      error,
    );
  }
  if (error instanceof Error) {
    // What the worker would make of it (ensureApplicationFailure): the class name as the type, retryable.
    const type = error.constructor.name || error.name;
    return keepStack(
      ApplicationFailure.create({
        message: error.message,
        type,
        nonRetryable: false,
        details: [attempt],
        ...(error.cause instanceof Error ? { cause: error.cause } : {}),
      }),
      error,
    );
  }
  return ApplicationFailure.create({ message: String(error), nonRetryable: false, details: [attempt] });
}

function keepStack<T extends Error>(failure: T, original: Error): T {
  if (original.stack) failure.stack = original.stack;
  return failure;
}

import { ExitCode } from './exit-codes.js';

/** Thrown when the command line cannot be understood; the CLI prints it with the command's usage. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly exitCode = ExitCode.usage;
}

export interface FieldIssue {
  path: string;
  message: string;
}

/** Thrown when the API answers with an error body (`{ error: { code, message, issues? } }`) or a non-2xx. */
export class ApiRequestError extends Error {
  override readonly name = 'ApiRequestError';
  readonly exitCode = ExitCode.apiError;
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: FieldIssue[] = [],
  ) {
    super(message);
  }
}

/** Thrown when the API cannot be reached: refused connection, DNS failure, reset. */
export class ApiUnreachableError extends Error {
  override readonly name = 'ApiUnreachableError';
  readonly exitCode = ExitCode.apiUnreachable;
  constructor(
    readonly url: string,
    readonly reason: string,
  ) {
    super(`cannot reach the API at ${url}: ${reason}`);
  }
}

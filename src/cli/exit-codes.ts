/**
 * What `newloom` exits with, so scripts can branch on it. 64 is sysexits' EX_USAGE; 130 is the shell's
 * "stopped by Ctrl-C" (128 + SIGINT), used when the CLI detaches from a run that goes on.
 */
export const ExitCode = {
  /** The command did what it was asked; for `run --follow`, the run completed. */
  ok: 0,
  /** The run failed (or was terminated or timed out). */
  runFailed: 1,
  /** The run was cancelled. */
  runCancelled: 2,
  /** The API answered with an error (its code and message are printed to stderr). */
  apiError: 3,
  /** The API could not be reached at all. */
  apiUnreachable: 4,
  /** The command line is wrong: unknown command or option, a missing or malformed argument. */
  usage: 64,
  /** A bug in the CLI (sysexits' EX_SOFTWARE): the stack trace is printed. */
  internal: 70,
  /** Ctrl-C while following: the CLI let go, the run goes on. */
  detached: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

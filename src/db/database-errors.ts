/**
 * Database faults as the rest of the code sees them: a typed error for a lock that did not clear, and
 * one question the API and readiness ask of any error — is the database itself unavailable?
 */

/** A write lock held elsewhere (another process, a backup) did not clear within the retry bound. Retryable. */
export class DatabaseBusyError extends Error {
  override readonly name = 'DatabaseBusyError';
  readonly code = 'DB_BUSY';
  constructor(waitedMs: number, options: { cause: unknown }) {
    super(
      `the database stayed locked for ${waitedMs} ms (another connection holds its write lock); try again`,
      options,
    );
  }
}

/**
 * SQLite result codes that say the file cannot be used as it is (read-only, unwritable, full, gone),
 * not that the statement is wrong. Extended codes (SQLITE_IOERR_WRITE...) share the prefix.
 */
const SQLITE_UNAVAILABLE_PREFIXES = [
  'SQLITE_READONLY',
  'SQLITE_IOERR',
  'SQLITE_CANTOPEN',
  'SQLITE_FULL',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_PROTOCOL',
];

/** PostgreSQL SQLSTATE classes and socket errors that mean the server is down or unreachable, not a bad query. */
const POSTGRES_UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03', '53300', '25006']);
const SOCKET_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EPIPE',
  'EAI_AGAIN',
]);

/** True when the error (or one of its causes) says the database cannot serve requests right now. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (
    let current: unknown = error, depth = 0;
    current instanceof Error && depth < 5;
    current = current.cause, depth++
  ) {
    if (current instanceof DatabaseBusyError) return true;
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') {
      if (SQLITE_UNAVAILABLE_PREFIXES.some((prefix) => code.startsWith(prefix))) return true;
      // Class 08: connection exceptions.
      if (code.startsWith('08') || POSTGRES_UNAVAILABLE_STATES.has(code) || SOCKET_ERRORS.has(code)) return true;
    }
    // pg's pool says so in words only.
    if (/timeout exceeded when trying to connect|Connection terminated/i.test(current.message)) return true;
  }
  return false;
}

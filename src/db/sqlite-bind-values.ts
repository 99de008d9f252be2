/**
 * Values SQLite can bind: libsql takes what better-sqlite3 took, except that a boolean makes its
 * native code panic and abort the whole process (API and worker) instead of throwing. Checking before
 * the driver sees a statement turns that into the TypeError better-sqlite3 threw, for one request.
 */
export function assertSqliteBindable(parameters: readonly unknown[]): void {
  const index = parameters.findIndex((value) => !isBindable(value));
  if (index >= 0) {
    const value = parameters[index];
    throw new TypeError(
      `SQLite3 can only bind numbers, strings, bigints, buffers, and null (parameter ${index + 1} is ${value === null ? 'null' : typeof value})`,
    );
  }
}

function isBindable(value: unknown): boolean {
  switch (typeof value) {
    case 'number':
    case 'string':
    case 'bigint':
    case 'undefined':
      return true;
    case 'object':
      return value === null || (ArrayBuffer.isView(value) && !(value instanceof DataView));
    default:
      return false;
  }
}

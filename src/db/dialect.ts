/** The SQL databases NewLoom runs on: SQLite (zero setup, the default) and PostgreSQL (production). */
export type SqlDialect = 'sqlite' | 'postgres';

export function dialectOf(url: string): SqlDialect | undefined {
  if (url.startsWith('sqlite:')) return 'sqlite';
  if (/^postgres(ql)?:\/\//.test(url)) return 'postgres';
  return undefined;
}

/** The URL with any password replaced, fit for a log line. */
export function redactDatabaseUrl(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/[^:/@]+:)[^@]*@/, '$1***@');
}

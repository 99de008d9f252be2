import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** host:port of the one Temporal dev server the integration global setup started. */
    temporalAddress: string;
    /** Superuser URL of a PostgreSQL server for storage tests; empty when none could be started. */
    postgresAdminUrl: string;
  }
}

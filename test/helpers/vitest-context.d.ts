import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** host:port of the one Temporal dev server the integration global setup started. */
    temporalAddress: string;
  }
}

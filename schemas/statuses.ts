/**
 * The API's enumerations, defined once: the request and response schemas, the OpenAPI document and the
 * layers below read them from here (the database's column types are checked against them at compile time
 * in src/api/enum-checks.ts).
 */

/** A stream runs on its schedule (active) or only by hand (paused). */
export const streamStatuses = ['active', 'paused'] as const;
export type StreamStatusName = (typeof streamStatuses)[number];

/** healthy: its last run succeeded; degraded: failing below the threshold; quarantined: paused and probed. */
export const streamHealthStates = ['healthy', 'degraded', 'quarantined'] as const;
export type StreamHealthState = (typeof streamHealthStates)[number];

/** Whether Temporal took the stream's schedule the last time it was synced. */
export const scheduleStatuses = ['ok', 'error'] as const;
export type ScheduleStatusName = (typeof scheduleStatuses)[number];

/** A run as Temporal reports its workflow. */
export const runStatuses = ['running', 'completed', 'failed', 'cancelled', 'terminated', 'timed_out'] as const;
export type RunStatus = (typeof runStatuses)[number];

/** sending: in flight; sent; refused by the channel; unknown: the send was interrupted. */
export const publicationStatuses = ['sending', 'sent', 'refused', 'unknown'] as const;
export type PublicationStatusName = (typeof publicationStatuses)[number];

/** What a person saw in the channel for an unknown publication. */
export const publicationOutcomes = ['sent', 'not_sent'] as const;
export type PublicationOutcome = (typeof publicationOutcomes)[number];

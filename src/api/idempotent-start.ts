import { isTemporalUnavailable } from '../temporal/client.js';
import type { FastifyRequest } from 'fastify';
import { toFieldIssues } from '../../schemas/validation.js';
import { releaseIdempotentRun, reserveIdempotentRun } from '../db/idempotency-repository.js';
import type { Database } from '../db/database.js';
import { validationError } from './errors.js';
import { idempotencyHeaders } from './request-schemas.js';

/** The request's Idempotency-Key, if any; a malformed one is a 400 naming `headers.idempotency-key`. */
export function idempotencyKeyOf(request: FastifyRequest): string | undefined {
  const parsed = idempotencyHeaders.safeParse({ 'idempotency-key': request.headers['idempotency-key'] });
  if (!parsed.success) throw validationError(toFieldIssues(parsed.error, 'headers'));
  return parsed.data['idempotency-key'];
}

/**
 * Starts a run at most once per Idempotency-Key and scope within 24 hours. Without a key it just starts.
 * With one, the key is reserved for the new run id first; a request whose key was seen answers the run
 * it names and makes sure that run exists (`start` must start a run id only if it is new: requests with
 * one key race, and the first may have died between reserving and starting), so a
 * client retrying a request that was cut off, even after an API restart or with force, gets one run.
 * A start that fails (409, Temporal down) gives the key back.
 */
export async function startIdempotently(
  db: Database,
  key: string | undefined,
  scope: string,
  runId: string,
  start: (runId: string, replay: boolean) => Promise<void>,
): Promise<{ runId: string; replayed: boolean }> {
  if (key === undefined) {
    await start(runId, false);
    return { runId, replayed: false };
  }
  const reservation = await reserveIdempotentRun(db, { scope, key, runId });
  if (reservation.replayed) {
    await start(reservation.runId, true);
    return reservation;
  }
  try {
    await start(runId, false);
  } catch (error) {
    // Temporal unreachable or past its deadline may still have started the run: keep the key, so the
    // client's retry replays this run id (deduplicated by Temporal) instead of starting a second one.
    if (!isTemporalUnavailable(error)) await releaseIdempotentRun(db, { scope, key, runId });
    throw error;
  }
  return reservation;
}

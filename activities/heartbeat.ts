import { Context } from '@temporalio/activity';

/** Heartbeat at least this often: cancellation reaches an activity only in a heartbeat's answer. */
export const HEARTBEAT_INTERVAL_MS = 1000;

/**
 * Heartbeats with the latest details every second until stopped, so the activity learns of a cancel
 * (or a stalled attempt is detected) even while it sits in one long await.
 */
export function keepHeartbeating(details: () => unknown): () => void {
  const context = Context.current();
  context.heartbeat(details());
  const timer = setInterval(() => context.heartbeat(details()), HEARTBEAT_INTERVAL_MS);
  return () => clearInterval(timer);
}

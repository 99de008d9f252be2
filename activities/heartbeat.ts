import { Context } from '@temporalio/activity';

/** Heartbeat at least this often: cancellation reaches an activity only in a heartbeat's answer. */
export const HEARTBEAT_INTERVAL_MS = 1000;

/**
 * Heartbeats with the latest details every second (or every half heartbeat timeout, when that is
 * shorter) until stopped, so the activity learns of a cancel (or a stalled attempt is detected) even
 * while it sits in one long await.
 *
 * The first heartbeat goes out after one interval, not at once: most runs of a collection task end
 * within a second, and a heartbeat at their start was a server write on every run that told the server
 * nothing (the attempt had just been handed out) and could not carry a cancel any sooner.
 */
export function keepHeartbeating(details: () => unknown): () => void {
  const context = Context.current();
  const timeoutMs = context.info.heartbeatTimeoutMs;
  const everyMs = timeoutMs ? Math.min(HEARTBEAT_INTERVAL_MS, timeoutMs / 2) : HEARTBEAT_INTERVAL_MS;
  const timer = setInterval(() => context.heartbeat(details()), everyMs);
  return () => clearInterval(timer);
}

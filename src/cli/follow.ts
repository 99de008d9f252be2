import type { ApiClient } from './api-client.js';
import type { RunProgress, RunView } from './api-types.js';
import type { CommandContext } from './context.js';
import { ApiUnreachableError } from './errors.js';
import { describeProgress, ProgressLine } from './progress-line.js';
import { readServerSentEvents } from './sse.js';

export type FollowOutcome = { kind: 'closed'; run: RunView } | { kind: 'detached' };

export interface FollowOptions {
  /** Ctrl-C asks the API to cancel the run, and following goes on until it ends; a second Ctrl-C detaches. */
  cancelOnExit: boolean;
}

/** Times the API may be unreachable in a row (a restart) before following gives up. */
const MAX_UNREACHABLE = 5;
const RECONNECT_DELAY_MS = 1000;

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
}

/**
 * Watches a run through GET /runs/:id/events until it closes, drawing its progress. The API ends the
 * event stream after the `end` event, or earlier when its poll of Temporal fails (`error` event) or it
 * restarts: then the run is looked up and, while it still runs, the stream is opened again.
 */
export async function followRun(
  api: ApiClient,
  runId: string,
  context: CommandContext,
  options: FollowOptions,
): Promise<FollowOutcome> {
  const detach = new AbortController();
  const line = new ProgressLine(context.output);
  let cancelRequested = false;
  const stopListening = context.onInterrupt(() => {
    if (options.cancelOnExit && !cancelRequested) {
      cancelRequested = true;
      line.finish();
      context.output.err(`cancelling run ${runId}… (Ctrl-C again to stop waiting)\n`);
      api.post(`/runs/${encodeURIComponent(runId)}/cancel`).catch((error: unknown) => {
        context.output.err(`could not cancel: ${error instanceof Error ? error.message : String(error)}\n`);
      });
      return;
    }
    detach.abort();
  });

  const path = `/runs/${encodeURIComponent(runId)}`;
  let unreachable = 0;
  try {
    while (!detach.signal.aborted) {
      try {
        const response = await api.open('GET', `${path}/events`, {
          accept: 'text/event-stream',
          signal: detach.signal,
        });
        unreachable = 0;
        if (response.body) {
          for await (const event of readServerSentEvents(response.body)) {
            if (event.event === 'progress') {
              const { progress } = JSON.parse(event.data) as { progress: RunProgress | null };
              line.update(describeProgress(progress));
            } else if (event.event === 'end') {
              line.finish();
              return { kind: 'closed', run: JSON.parse(event.data) as RunView };
            }
          }
        }
        const run = await api.get<RunView>(path);
        if (run.status !== 'running') {
          line.finish();
          return { kind: 'closed', run };
        }
      } catch (error) {
        if (detach.signal.aborted) break;
        if (!(error instanceof ApiUnreachableError) && !isDroppedConnection(error)) throw error;
        if (++unreachable > MAX_UNREACHABLE) throw error;
      }
      await pause(RECONNECT_DELAY_MS, detach.signal);
    }
    line.finish();
    return { kind: 'detached' };
  } finally {
    stopListening();
  }
}

/** The API closed the event stream mid-body (a restart): undici reports it as a terminated TypeError. */
function isDroppedConnection(error: unknown): boolean {
  return error instanceof TypeError && /terminated|other side closed/i.test(`${error.message} ${String(error.cause)}`);
}

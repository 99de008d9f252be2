/**
 * Politeness per host: at most a number of requests to one host at a time, and request starts a least
 * time apart. Waiting honours the activity's cancellation, so a cancelled run never sits in a host's
 * queue. The release function is idempotent.
 */
export interface HostGate {
  /** Resolves with a release function once a request to `host` may start. */
  acquire(host: string, signal: AbortSignal): Promise<() => void>;
}

/**
 * The gate of one process, shared by every activity of a worker. Enough on its own when one worker
 * runs (the embedded default on SQLite); an installation with several workers on PostgreSQL shares
 * src/db/host-leases.ts instead.
 */
export class InProcessHostGate implements HostGate {
  private readonly hosts = new Map<string, { active: number; nextStartAt: number; waiting: Array<() => void> }>();

  constructor(
    private readonly concurrency: number,
    private readonly minIntervalMs: number,
  ) {}

  /** Resolves with a release function once a request to `host` may start. */
  async acquire(host: string, signal: AbortSignal): Promise<() => void> {
    const state = this.hosts.get(host) ?? { active: 0, nextStartAt: 0, waiting: [] };
    this.hosts.set(host, state);
    while (state.active >= this.concurrency) {
      await new Promise<void>((resolve, reject) => {
        const wake = () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        };
        const onAbort = () => {
          state.waiting.splice(state.waiting.indexOf(wake), 1);
          reject(abortReason(signal));
        };
        if (signal.aborted) return reject(abortReason(signal));
        signal.addEventListener('abort', onAbort, { once: true });
        state.waiting.push(wake);
      });
    }
    state.active += 1;
    const wait = state.nextStartAt - Date.now();
    state.nextStartAt = Math.max(Date.now(), state.nextStartAt) + this.minIntervalMs;
    if (wait > 0) {
      try {
        await abortableDelay(wait, signal);
      } catch (error) {
        this.release(host, state);
        throw error;
      }
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.release(host, state);
    };
  }

  private release(_host: string, state: { active: number; waiting: Array<() => void> }): void {
    state.active -= 1;
    state.waiting.shift()?.();
  }
}

export function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(abortReason(signal));
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('aborted');
}

/**
 * Resolves on the first SIGINT or SIGTERM. A second signal while shutting down exits at once, so a
 * stuck close never traps the user.
 */
export function untilShutdownSignal(onSecondSignal: () => void): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let received = false;
    const handler = (signal: NodeJS.Signals) => {
      if (received) return onSecondSignal();
      received = true;
      resolve(signal);
    };
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
  });
}

/** Runs closers last-in first-out, logging but not stopping on one that fails. */
export class Closers {
  private readonly closers: Array<{ name: string; close: () => Promise<unknown> }> = [];

  add(name: string, close: () => Promise<unknown>): void {
    this.closers.push({ name, close });
  }

  async closeAll(onError: (name: string, error: unknown) => void): Promise<void> {
    for (const { name, close } of this.closers.reverse()) {
      try {
        await close();
      } catch (error) {
        onError(name, error);
      }
    }
    this.closers.length = 0;
  }
}

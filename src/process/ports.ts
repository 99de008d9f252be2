import { createServer } from 'node:net';

/** Thrown at start when a port the stack needs is taken; says which variable moves it. */
export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
  constructor(
    readonly port: number,
    readonly purpose: string,
    readonly envVariable: string,
  ) {
    super(`port ${port} (${purpose}) is already in use: stop what holds it, or set ${envVariable} to another port`);
  }
}

export async function assertPortFree(host: string, port: number, purpose: string, envVariable: string): Promise<void> {
  const free = await new Promise<boolean>((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve(true)));
  });
  if (!free) throw new PortInUseError(port, purpose, envVariable);
}

export interface PortReservation {
  /** Frees the port for its real owner; call right before that owner listens. */
  release(): Promise<void>;
}

/**
 * Holds a port from start-up until its owner listens. A port that is only checked can be taken in
 * between: the Temporal dev server binds several random free ports of its own (its HTTP API, metrics
 * and internal services) while NewLoom starts, and once took the API's.
 */
export async function reservePort(
  host: string,
  port: number,
  purpose: string,
  envVariable: string,
): Promise<PortReservation> {
  const holder = createServer();
  await new Promise<void>((resolve, reject) => {
    holder.once('error', () => reject(new PortInUseError(port, purpose, envVariable)));
    holder.listen({ host, port, exclusive: true }, resolve);
  });
  return { release: () => new Promise<void>((resolve) => holder.close(() => resolve())) };
}

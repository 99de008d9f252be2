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

import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { PortInUseError, reservePort } from '../../src/process/ports.js';

const listenOn = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => server.close(() => resolve(true)));
  });

describe('a reserved port stays out of reach until it is released', () => {
  it('holds the port against anyone else, then frees it for its owner', async () => {
    const first = await reservePort('127.0.0.1', 0, 'probe', 'PROBE_PORT');
    await first.release();
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });

    const reservation = await reservePort('127.0.0.1', port, 'NewLoom API', 'API_PORT');
    expect(await listenOn(port)).toBe(false);
    await expect(reservePort('127.0.0.1', port, 'NewLoom API', 'API_PORT')).rejects.toBeInstanceOf(PortInUseError);

    await reservation.release();
    await reservation.release(); // a second release (the shutdown path) is harmless
    expect(await listenOn(port)).toBe(true);
  });
});

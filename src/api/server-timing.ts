import type { FastifyReply } from 'fastify';

/**
 * A `Server-Timing` header for a request's steps (a browser's network panel shows it; benchmarks read
 * it to say where a request's time goes without a profiler). Only step names and durations: no data.
 */
export class ServerTiming {
  private readonly steps: string[] = [];

  /** Runs one step and records how long it took, whether it succeeded or threw. */
  readonly measure = async <T>(step: string, work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await work();
    } finally {
      this.steps.push(`${step};dur=${(performance.now() - started).toFixed(1)}`);
    }
  };

  applyTo(reply: FastifyReply): void {
    if (this.steps.length > 0) void reply.header('server-timing', this.steps.join(', '));
  }
}

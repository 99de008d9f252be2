import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import type { Stream } from '../../src/db/streams-repository.js';
import type { RunView } from '../../src/temporal/runs.js';
import { runResponse, runStartedResponse, streamResponse } from '../../src/api/openapi/response-schemas.js';

// Every answer these helpers read is checked against the schema the OpenAPI document publishes.

export async function createStream(app: FastifyInstance, body: Record<string, unknown>): Promise<Stream> {
  const response = await app.inject({ method: 'POST', url: '/streams', payload: body });
  expect(response.statusCode, response.body).toBe(201);
  return streamResponse.parse(response.json());
}

export async function startRun(app: FastifyInstance, streamId: string): Promise<string> {
  const response = await app.inject({ method: 'POST', url: `/streams/${streamId}/runs` });
  expect(response.statusCode, response.body).toBe(202);
  return runStartedResponse.parse(response.json()).runId;
}

export async function getRun(app: FastifyInstance, runId: string): Promise<RunView> {
  const response = await app.inject({ method: 'GET', url: `/runs/${runId}` });
  expect(response.statusCode, response.body).toBe(200);
  return runResponse.parse(response.json());
}

/** Polls GET /runs/:id until the run closes; fails the test if it is still running at the deadline. */
export async function waitForRunToClose(app: FastifyInstance, runId: string, timeoutMs = 30_000): Promise<RunView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // A poll is what a client would retry: a 503 (Temporal too slow for the API's deadline on a loaded
    // machine) says "ask again", not that the run failed.
    const response = await app.inject({ method: 'GET', url: `/runs/${runId}` });
    if (response.statusCode === 503 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      continue;
    }
    expect(response.statusCode, response.body).toBe(200);
    const run = runResponse.parse(response.json());
    if (run.status !== 'running') return run;
    if (Date.now() > deadline)
      throw new Error(`run ${runId} still running after ${timeoutMs} ms: ${JSON.stringify(run)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export async function waitFor<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

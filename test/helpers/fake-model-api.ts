import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFixtureText } from './fixtures.js';

export interface ModelCall {
  apiKey: string | undefined;
  version: string | undefined;
  body: {
    model?: string;
    system?: string;
    max_tokens?: number;
    temperature?: number;
    messages?: Array<{ role: string; content: string }>;
    tools?: Array<{ name: string }>;
    tool_choice?: { type: string; name?: string };
  };
  at: number;
  /** When the client closed the connection before an answer (held calls only). */
  closedAt?: number;
}

/** An answer from test/fixtures/anthropic with its status and headers, or none at all. */
export type ModelAnswer = { status: number; fixture: string; headers?: Record<string, string> } | { hold: true };

/**
 * A stand-in for Anthropic's Messages API on 127.0.0.1: every POST /v1/messages is recorded and answered
 * with the next scripted answer, or, when none is left, with test/fixtures/anthropic/documents.json.
 */
export class FakeModelApi {
  readonly calls: ModelCall[] = [];
  private readonly script: ModelAnswer[] = [];
  private readonly server: Server;

  private constructor() {
    this.server = createServer((request, response) => {
      void this.handle(request, response);
    });
  }

  static async start(): Promise<FakeModelApi> {
    const api = new FakeModelApi();
    await new Promise<void>((resolve) => api.server.listen(0, '127.0.0.1', resolve));
    return api;
  }

  get origin(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  answerNext(...answers: ModelAnswer[]): void {
    this.script.push(...answers);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const header = (name: string) => {
      const value = request.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    const call: ModelCall = {
      apiKey: header('x-api-key'),
      version: header('anthropic-version'),
      body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as ModelCall['body'],
      at: Date.now(),
    };
    this.calls.push(call);
    if (request.method !== 'POST' || request.url !== '/v1/messages') {
      response
        .writeHead(404, { 'content-type': 'application/json' })
        .end('{"type":"error","error":{"type":"not_found_error","message":"Not found"}}');
      return;
    }
    const answer = this.script.shift() ?? { status: 200, fixture: 'documents.json' };
    if ('hold' in answer) {
      response.on('close', () => (call.closedAt = Date.now()));
      return;
    }
    response
      .writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers })
      .end(readFixtureText(`anthropic/${answer.fixture}`));
  }
}

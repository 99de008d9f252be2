import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFixture } from './fixtures.js';

/** One scripted answer. A route plays its answers in order and repeats the last one. */
export interface FixtureResponse {
  status?: number;
  headers?: Record<string, string>;
  /** A file under test/fixtures to send as the body. */
  fixture?: string;
  body?: string | Buffer;
  /** Send headers, then keep the connection open without a body until the client gives up. */
  hold?: boolean;
  /** Serve with this ETag, and answer 304 to a request that already has it (If-None-Match). */
  etag?: string;
  /** Stream the body in chunks with no Content-Length, as a server generating it would. */
  chunked?: boolean;
  /** Replace `{{origin}}` in the fixture with this server's origin (for documents that link to siblings). */
  withOrigin?: boolean;
}

export interface RequestRecord {
  path: string;
  /** The query string with its `?`, or '' when there is none. */
  search: string;
  at: number;
  headers: IncomingMessage['headers'];
  /** When the client closed the connection before the response ended (held responses only). */
  closedAt?: number;
}

/**
 * A real HTTP server on 127.0.0.1 standing in for the sites tasks fetch (feeds, search engines, the
 * Telegram API): scripted per path, and it records every request so tests can assert on what the
 * task really did (how many attempts, when a cancelled request's connection closed).
 */
export class FixtureServer {
  readonly requests: RequestRecord[] = [];
  private readonly routes = new Map<string, { responses: FixtureResponse[]; served: number }>();
  private readonly server: Server;

  private constructor() {
    this.server = createServer((request, response) => this.handle(request, response));
  }

  static async start(): Promise<FixtureServer> {
    const fixtureServer = new FixtureServer();
    await new Promise<void>((resolve) => fixtureServer.server.listen(0, '127.0.0.1', resolve));
    return fixtureServer;
  }

  get origin(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  url(path: string): string {
    return `${this.origin}${path}`;
  }

  /** `path` may carry a query (`/s/name?before=120`): such a route answers only that query, ahead of the bare path's route. */
  route(path: string, ...responses: FixtureResponse[]): string {
    this.routes.set(path, { responses, served: 0 });
    return this.url(path);
  }

  requestsTo(path: string): RequestRecord[] {
    return this.requests.filter((request) => request.path === path);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const target = request.url ?? '/';
    const path = target.split('?')[0] ?? '/';
    const record: RequestRecord = { path, search: target.slice(path.length), at: Date.now(), headers: request.headers };
    this.requests.push(record);
    const route = this.routes.get(target) ?? this.routes.get(path);
    if (!route) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('no such fixture route');
      return;
    }
    const answer = route.responses[Math.min(route.served, route.responses.length - 1)] ?? {};
    route.served += 1;
    if (answer.etag) {
      if (request.headers['if-none-match'] === answer.etag) {
        response.writeHead(304, { etag: answer.etag }).end();
        return;
      }
      response.setHeader('etag', answer.etag);
    }
    response.writeHead(answer.status ?? 200, answer.headers ?? {});
    if (answer.hold) {
      response.flushHeaders();
      response.on('close', () => (record.closedAt = Date.now()));
      return;
    }
    const raw = answer.fixture ? readFixture(answer.fixture) : (answer.body ?? '');
    const body = answer.withOrigin ? raw.toString().replaceAll('{{origin}}', this.origin) : raw;
    if (answer.chunked) {
      const bytes = Buffer.from(body);
      for (let start = 0; start < bytes.length; start += 64 * 1024)
        response.write(bytes.subarray(start, start + 64 * 1024));
      response.end();
      return;
    }
    response.end(body);
  }
}

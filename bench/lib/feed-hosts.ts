import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFixture } from '../../test/helpers/fixtures.js';

export interface FeedHosts {
  /** `http://127.0.0.1:<port>` of each host, in order. */
  origins: string[];
  close(): void;
}

/**
 * Many fixture hosts serving one small real feed (test/fixtures/feeds/rss2-news.xml) at every path, so
 * streams spread over them are not paced by per-host politeness.
 */
export async function startFeedHosts(count: number): Promise<FeedHosts> {
  const feed = readFixture('feeds/rss2-news.xml');
  const servers: Server[] = [];
  for (let n = 0; n < count; n += 1) {
    const server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/rss+xml' }).end(feed);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
  }
  return {
    origins: servers.map((server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    close: () => servers.forEach((server) => server.close()),
  };
}

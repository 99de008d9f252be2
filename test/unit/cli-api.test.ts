import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newloomApi } from '../../src/api/app.js';
import { parseApiKeys } from '../../src/api/auth.js';
import type { CommandContext } from '../../src/cli/context.js';
import { ExitCode } from '../../src/cli/exit-codes.js';
import { runCli } from '../../src/cli/main.js';
import { openDatabase, type Database } from '../../src/db/database.js';
import { freePort } from '../helpers/free-port.js';

// The CLI against the real API (with keys) on a real port; the commands here never reach Temporal.
const adminKey = 'admin-key-0123456789abcdefghij';
const readKey = 'read-key-0123456789abcdefghijkl';

let app: FastifyInstance;
let db: Database;
let apiUrl: string;

beforeAll(async () => {
  db = await openDatabase('sqlite::memory:');
  app = Fastify();
  const client = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
  await app.register(newloomApi, {
    db,
    temporal: { client, taskQueue: 'unused' },
    apiKeys: parseApiKeys(`admin:${adminKey},read:${readKey}`),
  });
  apiUrl = await app.listen({ host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await app.close();
  await db.destroy();
});

async function cli(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const printed = { out: '', err: '' };
  const context: CommandContext = {
    output: {
      out: (text) => void (printed.out += text),
      err: (text) => void (printed.err += text),
      interactive: false,
    },
    env: { NEWLOOM_API_URL: apiUrl, ...env },
    onInterrupt: () => () => undefined,
  };
  const code = await runCli(argv, context);
  return { code, ...printed };
}

const feedStream = [
  'streams',
  'add',
  '--type',
  'rss_feed',
  '--config',
  '{"url": "https://news.example.test/feed.xml"}',
];

describe('the CLI and API keys', () => {
  it('without a key, prints the API’s UNAUTHORIZED and exits 3', async () => {
    const result = await cli(['streams', 'list']);
    expect(result.code).toBe(ExitCode.apiError);
    expect(result.err).toMatch(/^error UNAUTHORIZED \(HTTP 401\): an API key is required/);
  });

  it('sends NEWLOOM_API_KEY as the bearer key; --api-key overrides it', async () => {
    const added = await cli([...feedStream, '--name', 'harbour', '--json'], { NEWLOOM_API_KEY: adminKey });
    expect(added.code, added.err).toBe(ExitCode.ok);
    expect(JSON.parse(added.out)).toMatchObject({ name: 'harbour', taskType: 'rss_feed', status: 'active' });

    const refused = await cli([...feedStream, '--name', 'quay', '--api-key', readKey], { NEWLOOM_API_KEY: adminKey });
    expect(refused.code).toBe(ExitCode.apiError);
    expect(refused.err).toMatch(/^error FORBIDDEN \(HTTP 403\)/);

    const listed = await cli(['streams', 'list'], { NEWLOOM_API_KEY: readKey });
    expect(listed.code).toBe(ExitCode.ok);
    expect(listed.out.split('\n')[0]).toMatch(/^ID\s+NAME\s+TYPE\s+STATUS\s+FREQUENCY\s+LAST RUN$/);
    expect(listed.out).toMatch(/harbour\s+rss_feed\s+active/);
    expect(listed.out).not.toContain('quay');
  });

  it('prints the field paths of a refused body', async () => {
    const result = await cli(['streams', 'add', '--type', 'rss_feed', '--name', 'bad', '--config', '{"url": 5}'], {
      NEWLOOM_API_KEY: adminKey,
    });
    expect(result.code).toBe(ExitCode.apiError);
    expect(result.err).toMatch(/^error VALIDATION_FAILED \(HTTP 400\)/);
    expect(result.err).toMatch(/\n {2}body\.config\.url: /);
  });

  it('finds a stream by name as well as by id, and says NOT_FOUND for neither', async () => {
    const byName = await cli(['runs', 'nowhere'], { NEWLOOM_API_KEY: readKey });
    expect(byName.code).toBe(ExitCode.apiError);
    expect(byName.err).toMatch(/^error NOT_FOUND \(HTTP 404\): no stream has the id or name "nowhere"/);
  });

  it('exits 4 when nothing answers at the API URL', async () => {
    const result = await cli(['streams', 'list'], { NEWLOOM_API_URL: `http://127.0.0.1:${await freePort()}` });
    expect(result.code).toBe(ExitCode.apiUnreachable);
    expect(result.err).toMatch(/^error API_UNREACHABLE: cannot reach the API at .*ECONNREFUSED/);
  });

  it('exits 3 with NOT_JSON when something other than the API answers 200 at the URL', async () => {
    const page = createServer((_request, response) =>
      response.writeHead(200, { 'content-type': 'text/html' }).end('<h1>hi</h1>'),
    );
    await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
    try {
      const result = await cli(['streams', 'list'], {
        NEWLOOM_API_URL: `http://127.0.0.1:${(page.address() as AddressInfo).port}`,
      });
      expect(result.code).toBe(ExitCode.apiError);
      expect(result.err).toMatch(/^error NOT_JSON \(HTTP 200\): GET \/streams answered text\/html/);
    } finally {
      await new Promise((resolve) => page.close(resolve));
    }
  });
});

describe('newloom publications resolve', () => {
  /** An unknown publication of one saved item, as a send whose answer was lost leaves it. */
  async function unknownPublication(name: string): Promise<number> {
    const added = await cli([...feedStream, '--name', name, '--json'], { NEWLOOM_API_KEY: adminKey });
    const stream = JSON.parse(added.out) as { id: string; sourceId: string };
    const item = await db
      .insertInto('items')
      .values({
        source_id: stream.sourceId,
        canonical_url: `https://news.example.test/${name}`,
        url: `https://news.example.test/${name}`,
        title: name,
        summary: null,
        text: null,
        media_urls: null,
        author: null,
        published_at: null,
        first_seen_at: new Date().toISOString(),
        stream_id: stream.id,
        run_id: `${stream.id}-run`,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const publication = await db
      .insertInto('publications')
      .values({
        item_id: item.id,
        doc_id: null,
        channel: 'telegram:@harbour',
        stream_id: stream.id,
        run_id: `${stream.id}-run`,
        external_id: null,
        published_at: new Date().toISOString(),
        status: 'unknown',
        error: 'the answer never came',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return publication.id;
  }

  const admin = { NEWLOOM_API_KEY: adminKey };

  it('records sent with its external id, then refuses to resolve it again (409)', async () => {
    const id = await unknownPublication('seen-in-channel');
    const sent = await cli(
      ['publications', 'resolve', String(id), '--outcome', 'sent', '--external-id', '4242', '--json'],
      admin,
    );
    expect(sent.code, sent.err).toBe(ExitCode.ok);
    expect(JSON.parse(sent.out)).toMatchObject({ id, status: 'sent', externalId: '4242' });

    const again = await cli(['publications', 'resolve', String(id), '--outcome', 'not_sent'], admin);
    expect(again.code).toBe(ExitCode.apiError);
    expect(again.err).toMatch(/^error PUBLICATION_NOT_UNKNOWN \(HTTP 409\)/);
  });

  it('records not_sent: the publication is gone, for the next run to send again', async () => {
    const id = await unknownPublication('not-in-channel');
    const result = await cli(['publications', 'resolve', String(id), '--outcome', 'not_sent'], admin);
    expect(result.code, result.err).toBe(ExitCode.ok);
    expect(result.out).toBe(`publication ${id} recorded as not sent: the next run sends it again\n`);
    expect(await db.selectFrom('publications').select('id').where('id', '=', id).executeTakeFirst()).toBeUndefined();
  });
});

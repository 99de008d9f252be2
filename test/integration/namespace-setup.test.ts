import { randomUUID } from 'node:crypto';
import { Client, type Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allSearchAttributeKeys, searchAttributes } from '../../schemas/temporal-names.js';
import { createLogger } from '../../src/logger.js';
import { ensureNamespaceReady } from '../../src/temporal/namespace-setup.js';
import { temporalCliPath } from '../helpers/local-test-server.js';

const logger = createLogger('silent');

/**
 * A server that has never heard of NewLoom, as a self-hosted cluster is on its first day: a dev server
 * started without the `--search-attribute` flags `npm start` gives it. The setup must bring it to the
 * point where a run with NewLoom's search attributes can start.
 */
describe('namespace setup on a server without NewLoom attributes', () => {
  let env: TestWorkflowEnvironment;
  let connection: Connection;

  beforeAll(async () => {
    env = await TestWorkflowEnvironment.createLocal({
      server: { executable: { type: 'existing-path', path: temporalCliPath() }, ip: '127.0.0.1' },
    });
    connection = env.connection;
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it('refuses a run with the attributes before setup, and starts one after it', async () => {
    const client = new Client({ connection, namespace: 'default' });
    const start = () =>
      client.workflow.start('streamRun', {
        taskQueue: `nobody-${randomUUID()}`,
        workflowId: `setup-probe-${randomUUID()}`,
        args: [{}],
        typedSearchAttributes: [
          { key: searchAttributes.streamId, value: 'str_probe' },
          { key: searchAttributes.taskType, value: 'rss_feed' },
          { key: searchAttributes.trigger, value: 'manual' },
        ],
      });
    const refused = await start().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(String((refused as Error | undefined)?.cause ?? refused)).toMatch(
      /no mapping defined for search attribute Newloom/,
    );

    // Three processes starting together (the API and two workers) all succeed; one of them adds the attributes.
    const results = await Promise.all(
      [1, 2, 3].map(() =>
        ensureNamespaceReady(connection, { namespace: 'default', searchAttributes: allSearchAttributeKeys, logger }),
      ),
    );
    expect(results.flatMap((result) => result.created).sort()).toEqual(
      expect.arrayContaining(allSearchAttributeKeys.map((key) => key.name).sort()),
    );

    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace: 'default' });
    for (const key of allSearchAttributeKeys) expect(customAttributes?.[key.name]).toBeDefined();
    const handle = await start();
    await handle.terminate('probe only');

    // Running it again is a no-op.
    expect(
      await ensureNamespaceReady(connection, {
        namespace: 'default',
        searchAttributes: allSearchAttributeKeys,
        logger,
      }),
    ).toEqual({ created: [] });
  });

  it('creates a missing namespace and its attributes', async () => {
    const namespace = `newloom-${randomUUID().slice(0, 8)}`;
    const { created } = await ensureNamespaceReady(connection, {
      namespace,
      searchAttributes: allSearchAttributeKeys,
      logger,
    });
    expect(created).toEqual([`namespace ${namespace}`, ...allSearchAttributeKeys.map((key) => key.name)]);
    const client = new Client({ connection, namespace });
    const handle = await client.workflow.start('streamRun', {
      taskQueue: `nobody-${randomUUID()}`,
      workflowId: `setup-probe-${randomUUID()}`,
      args: [{}],
      typedSearchAttributes: [{ key: searchAttributes.streamId, value: 'str_probe' }],
    });
    await handle.terminate('probe only');
  });
});

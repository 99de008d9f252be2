import { randomUUID } from 'node:crypto';
import { WorkflowFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FailureType } from '../../schemas/failure-types.js';
import type { StreamRunInput } from '../../schemas/stream-run.js';
import { workflowTypes } from '../../schemas/temporal-names.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
});

afterAll(async () => {
  await stack?.close();
});

/** Starts streamRun directly, as a schedule or the CLI could, bypassing the API's own validation. */
async function runDirectly(input: StreamRunInput) {
  const handle = await stack.client.workflow.start(workflowTypes.streamRun, {
    taskQueue: stack.taskQueue,
    workflowId: `validation-${randomUUID()}`,
    args: [input],
  });
  const error = await handle.result().then(
    () => undefined,
    (failure: unknown) => failure,
  );
  const history = await handle.fetchHistory();
  return { error, events: history.events ?? [] };
}

describe('the streamRun workflow validates before it does anything', () => {
  it('fails an invalid config with every field path, and schedules no activity', async () => {
    const { error, events } = await runDirectly({
      streamId: 'str_test',
      streamName: 'bad config',
      sourceId: 'src_test',
      taskType: 'rss_feed',
      config: { url: 'not a url', max_items: 50_000 },
    });

    expect(error).toBeInstanceOf(WorkflowFailedError);
    const cause = (error as WorkflowFailedError).cause as { type?: string; message: string; nonRetryable?: boolean };
    expect(cause.type).toBe(FailureType.Validation);
    expect(cause.nonRetryable).toBe(true);
    expect(cause.message).toContain('config.url');
    expect(cause.message).toContain('config.max_items');
    expect(events.filter((event) => event.activityTaskScheduledEventAttributes)).toHaveLength(0);
  });

  it('rejects an unknown task type by name', async () => {
    const { error, events } = await runDirectly({
      streamId: 'str_test',
      streamName: 'bad type',
      sourceId: 'src_test',
      taskType: 'carrier_pigeon',
      config: {},
    });
    const cause = (error as WorkflowFailedError).cause as { type?: string; message: string };
    expect(cause.type).toBe(FailureType.Validation);
    expect(cause.message).toContain('taskType');
    expect(cause.message).toContain('carrier_pigeon');
    expect(events.filter((event) => event.activityTaskScheduledEventAttributes)).toHaveLength(0);
  });
});

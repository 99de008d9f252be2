import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { describe, expect, it } from 'vitest';
import { reportingAttempt } from '../../activities/tasks/attempt-on-failure.js';
import { SAVE_BATCH_SIZE, saveAsCollected } from '../../activities/tasks/save-as-collected.js';
import type { CollectionActivity, ItemSaver } from '../../activities/tasks/task-activity.js';
import {
  ATTEMPT_DETAIL_KEY,
  DRY_RUN_PREVIEW_LIMIT,
  type CollectedItem,
  type CollectionOutput,
  type SaveItemsInput,
} from '../../schemas/stream-run.js';

const item = (n: number): CollectedItem => ({
  url: `https://site.test/${n}`,
  canonicalUrl: `https://site.test/${n}`,
  title: `Story ${n}`,
  summary: null,
  author: null,
  publishedAt: null,
});
const validators = [{ url: 'https://site.test/feed.xml', etag: '"v1"', lastModified: null }];
const collecting =
  (output: CollectionOutput): CollectionActivity =>
  () =>
    Promise.resolve(output);
const context = { sourceId: 'src_1', dryRun: false, runId: 'run-1', streamId: 'str_1' };
const run = (
  activity: CollectionActivity,
  runContext = context,
  env = new MockActivityEnvironment(),
): Promise<CollectionOutput> => env.run(activity, {}, runContext);

/** A saver that records its calls and counts "new" as the saved ones do: every distinct URL saved for the run so far. */
function recordingSaver(alreadyStored = 0) {
  const calls: SaveItemsInput[] = [];
  const urls = new Set<string>();
  const saver: ItemSaver = (input) => {
    calls.push(input);
    for (const saved of input.items) urls.add(saved.canonicalUrl);
    const fresh = Math.max(0, urls.size - alreadyStored);
    return Promise.resolve({ new: fresh, duplicate: input.items.length - fresh });
  };
  return { calls, saver };
}

describe('a collection activity as the worker registers it', () => {
  it('saves in batches, with the validators in the last one only, and returns counts instead of items', async () => {
    const items = Array.from({ length: 2 * SAVE_BATCH_SIZE + 1 }, (_, n) => item(n));
    const { calls, saver } = recordingSaver();
    const output = await run(saveAsCollected(collecting({ items, validators, found: 1200, attempt: 1 }), saver));

    expect(calls.map((call) => call.items.length)).toEqual([SAVE_BATCH_SIZE, SAVE_BATCH_SIZE, 1]);
    expect(calls.map((call) => call.validators)).toEqual([undefined, undefined, validators]);
    expect(
      calls.every((call) => call.runId === 'run-1' && call.streamId === 'str_1' && call.sourceId === 'src_1'),
    ).toBe(true);
    expect(output).toEqual({
      items: [],
      found: 1200,
      attempt: 1,
      saved: { collected: items.length, new: items.length, duplicate: 0 },
    });
  });

  it('still saves the validators when the source listed nothing', async () => {
    const { calls, saver } = recordingSaver();
    const output = await run(saveAsCollected(collecting({ items: [], validators, found: 0, attempt: 2 }), saver));
    // The attempt is the activity's own (the mock environment's first), kept in the items' lineage.
    expect(calls).toEqual([
      { runId: 'run-1', streamId: 'str_1', sourceId: 'src_1', items: [], attempt: 1, validators },
    ]);
    expect(output.saved).toEqual({ collected: 0, new: 0, duplicate: 0 });
  });

  it('counts what was stored before as duplicates', async () => {
    const { saver } = recordingSaver(3);
    const output = await run(
      saveAsCollected(collecting({ items: [1, 2, 3, 4, 5].map(item), found: 5, attempt: 1 }), saver),
    );
    expect(output.saved).toEqual({ collected: 5, new: 2, duplicate: 3 });
  });

  it('saves nothing in a dry run and hands back a bounded preview with the real count', async () => {
    const { calls, saver } = recordingSaver();
    const items = Array.from({ length: 500 }, (_, n) => item(n));
    const output = await run(saveAsCollected(collecting({ items, validators, found: 500, attempt: 1 }), saver), {
      ...context,
      dryRun: true,
    });
    expect(calls).toEqual([]);
    expect(output.items).toHaveLength(DRY_RUN_PREVIEW_LIMIT);
    expect(output.collected).toBe(500);
    expect(output.saved).toBeUndefined();
    expect(output.validators).toBeUndefined();
  });

  it('passes on what a task saved itself, without saving again', async () => {
    const { calls, saver } = recordingSaver();
    const saved = { collected: 7, new: 4, duplicate: 3 };
    const output = await run(saveAsCollected(collecting({ items: [], found: 9, attempt: 1, saved }), saver));
    expect(calls).toEqual([]);
    expect(output.saved).toEqual(saved);
  });

  it('discards what was collected when the run was cancelled before the save', async () => {
    const { calls, saver } = recordingSaver();
    const env = new MockActivityEnvironment();
    const cancelling: CollectionActivity = () => {
      env.cancel();
      return Promise.resolve({ items: [item(1)], found: 1, attempt: 1 });
    };
    await expect(run(saveAsCollected(cancelling, saver), context, env)).rejects.toBeInstanceOf(CancelledFailure);
    expect(calls).toEqual([]);
  });
});

describe('a task activity failure', () => {
  const attemptOf = (error: unknown) => ((error as ApplicationFailure).details ?? []).at(-1);

  it('keeps its type, message, retryability, delay and details, and adds the attempt last', async () => {
    const thrown = ApplicationFailure.create({
      type: 'HttpTransientError',
      message: 'GET x answered HTTP 429',
      nonRetryable: false,
      nextRetryDelay: 7000,
      details: [{ status: 429 }],
    });
    const failing = reportingAttempt(() => Promise.reject(thrown));
    const error = await new MockActivityEnvironment({ attempt: 3 }).run(failing).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ApplicationFailure);
    expect(error).toMatchObject({
      type: 'HttpTransientError',
      message: 'GET x answered HTTP 429',
      nonRetryable: false,
      nextRetryDelay: 7000,
    });
    expect((error as ApplicationFailure).details).toEqual([{ status: 429 }, { [ATTEMPT_DETAIL_KEY]: 3 }]);
  });

  it('types a plain error as the worker would, by its class, retryable', async () => {
    const failing = reportingAttempt(() => Promise.reject(new TypeError('x is not a function')));
    const error = await new MockActivityEnvironment({ attempt: 2 }).run(failing).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ type: 'TypeError', message: 'x is not a function', nonRetryable: false });
    expect(attemptOf(error)).toEqual({ [ATTEMPT_DETAIL_KEY]: 2 });
  });

  it('stays a cancellation when cancelled', async () => {
    const failing = reportingAttempt(() => Promise.reject(new CancelledFailure('cancelled')));
    const error = await new MockActivityEnvironment({ attempt: 4 }).run(failing).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CancelledFailure);
    expect((error as CancelledFailure).details).toEqual([{ [ATTEMPT_DETAIL_KEY]: 4 }]);
  });
});

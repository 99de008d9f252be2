import { CancelledFailure, Context } from '@temporalio/activity';
import type { CollectionOutput, SaveItemsResult } from '../../schemas/stream-run.js';
import { keepHeartbeating } from '../heartbeat.js';
import { boundedItemPreview, boundedWarnings } from './bounded-output.js';
import type { CollectionActivity, ItemSaver } from './task-activity.js';

/**
 * Items per save: each is one transaction of the item saver, so a run of 10,000 items heartbeats
 * between them and never holds one write lock for the whole run.
 */
export const SAVE_BATCH_SIZE = 500;

/**
 * A collection task as the worker registers it: the task collects, and this saves what it collected in
 * the same activity, so items never travel through the workflow's history (a large feed would not fit:
 * Temporal fails a payload at 2 MB). The result is counts, plus for a dry run a preview bounded in items
 * and bytes.
 *
 * The save is the one the workflow's saveItems step did, cut in batches: idempotent per run ("new" counts
 * the rows carrying this run's id), and the HTTP validators go with the last batch, in its transaction,
 * so a save that fails part-way never hides items behind the next run's 304. A failed save fails the
 * attempt; the retry collects again and saves again, inserting nothing twice.
 */
export function saveAsCollected(collect: CollectionActivity, saveItems: ItemSaver): CollectionActivity {
  return async (config, runContext) => {
    const output = await collect(config, runContext);
    const warnings = boundedWarnings(output.warnings);
    const bounded = (result: CollectionOutput): CollectionOutput => (warnings ? { ...result, warnings } : result);
    // telegram_bulk_parser saves each channel as it reads it.
    if (output.saved) return bounded({ ...output, items: [] });

    const { items, validators, ...rest } = output;
    if (!runContext || runContext.dryRun)
      return bounded({ ...rest, items: boundedItemPreview(items), collected: items.length });
    const { runId, streamId, sourceId } = runContext;
    if (!runId || !streamId)
      throw new Error('a collection activity saves what it collects: the run must give its id and stream');

    const context = Context.current();
    // A cancel that came while collecting discards what was collected; one that comes while saving lets
    // the save finish (it is idempotent, and half a run saved would be harder to explain than all of it).
    if (context.cancellationSignal.aborted) throw new CancelledFailure('cancelled before the items were saved');
    let savedSoFar = 0;
    const stopHeartbeating = keepHeartbeating(() => ({ phase: 'saving', saved: savedSoFar, of: items.length }));
    let result: SaveItemsResult = { new: 0, duplicate: 0 };
    try {
      for (let start = 0; start === 0 || start < items.length; start += SAVE_BATCH_SIZE) {
        const batch = items.slice(start, start + SAVE_BATCH_SIZE);
        const last = start + SAVE_BATCH_SIZE >= items.length;
        result = await saveItems({
          runId,
          streamId,
          sourceId,
          items: batch,
          attempt: context.info.attempt,
          ...(last && validators?.length ? { validators } : {}),
        });
        savedSoFar += batch.length;
      }
    } finally {
      stopHeartbeating();
    }
    // The saver's "new" counts every row this run inserted, so the last batch's answer is the run's.
    const fresh = result.new;
    context.log.info('items saved', { runId, collected: items.length, new: fresh });
    return bounded({
      ...rest,
      items: [],
      saved: { collected: items.length, new: fresh, duplicate: items.length - fresh },
    });
  };
}

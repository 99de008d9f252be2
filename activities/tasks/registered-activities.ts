import { FailureType } from '../../schemas/failure-types.js';
import { findTaskDefinition } from '../../schemas/tasks/index.js';
import { permanentFailure } from '../failures.js';
import { reportingAttempt } from './attempt-on-failure.js';
import { boundedPublicationPreview, boundedWarnings, jsonBytes } from './bounded-output.js';
import type { TaskActivities } from './index.js';
import { saveAsCollected } from './save-as-collected.js';
import type { CollectionActivity, ItemSaver, PublishActivity, WriteActivity } from './task-activity.js';

/**
 * Most bytes of docs a writing activity may hand to the saveDocs step. A model's answer is bounded by
 * max_tokens (16,384 at most, well under this), so only a misbehaving model or gateway reaches it; the
 * docs stay in the history rather than being saved by the activity, so a failed save never pays for a
 * second model call.
 */
export const MAX_WRITTEN_DOCS_BYTES = 240 * 1024;

/**
 * The task activities as the worker registers them: a collection task saves what it collects, every
 * result is bounded in bytes, and every failure says which attempt failed. The tasks themselves stay
 * plain functions from config to output (benchmarks and unit tests call them as they are).
 */
export function registerTaskActivities(tasks: TaskActivities, saveItems: ItemSaver): TaskActivities {
  const registered = Object.entries(tasks).map(([type, activity]) => {
    const produces = findTaskDefinition(type)?.produces;
    const wrapped: (...args: never[]) => Promise<unknown> =
      produces === 'links'
        ? saveAsCollected(activity as CollectionActivity, saveItems)
        : produces === 'docs'
          ? boundedWriting(activity as WriteActivity)
          : boundedPublishing(activity as PublishActivity);
    return [type, reportingAttempt(wrapped)] as const;
  });
  return Object.fromEntries(registered) as TaskActivities;
}

function boundedWriting(write: WriteActivity): WriteActivity {
  return async (config, context) => {
    const output = await write(config, context);
    const bytes = jsonBytes(output.docs);
    if (bytes > MAX_WRITTEN_DOCS_BYTES) {
      throw permanentFailure(
        FailureType.ModelOutput,
        `the model wrote ${bytes} bytes of docs, more than the ${MAX_WRITTEN_DOCS_BYTES} a run can hand to its save step; lower max_docs or max_tokens`,
        { bytes },
      );
    }
    const warnings = boundedWarnings(output.warnings);
    return warnings ? { ...output, warnings } : output;
  };
}

function boundedPublishing(publish: PublishActivity): PublishActivity {
  return async (config, context) => {
    const output = await publish(config, context);
    const warnings = boundedWarnings(output.warnings);
    return {
      ...output,
      ...(output.preview ? { preview: boundedPublicationPreview(output.preview) } : {}),
      ...(warnings ? { warnings } : {}),
    };
  };
}

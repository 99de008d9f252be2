import {
  ActivityCancellationType,
  CancellationScope,
  defineQuery,
  isCancellation,
  log,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertMemo,
  workflowInfo,
} from '@temporalio/workflow';
import type { z } from 'zod';
import type { Activities } from '../activities/index.js';
import { nonRetryableFailureTypes } from '../schemas/failure-types.js';
import type {
  RunOutcomeStatus,
  RunProgress,
  StreamRunInput,
  StreamRunResult,
  streamRunInputSchema,
  TaskRunContext,
} from '../schemas/stream-run.js';
import type { TaskActivityDefaults } from '../schemas/task-definition.js';
import type { CollectionTaskType, PublishTaskType, TaskType, WriteTaskType } from '../schemas/tasks/index.js';
import { memoKeys, queries } from '../schemas/temporal-names.js';
import { toFieldIssues } from '../schemas/validation.js';
import { failedAttempt, rootCauseMessage, rootFailureType, validationFailure } from './failures.js';
import { loadRunSchemas, type RunSchemas } from './shared-run-schemas.js';

export const progressQuery = defineQuery<RunProgress>(queries.progress);

/** Database writes are short and idempotent: retry them patiently, they only fail while the DB is away. */
const storeOptions = {
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 20 },
} as const;
// Summaries label each step in the Temporal UI's timeline.
const store = proxyActivities<Activities>({ ...storeOptions, summary: 'save what the run found' });
const outcomeRecorder = proxyActivities<Activities>({
  ...storeOptions,
  summary: "record the run's outcome on the stream",
});

/** parse_now: one attempt per link inside, so the activity itself needs few retries but time for many pages. */
const enrich = proxyActivities<Activities>({
  summary: "parse_now: read the new links' articles",
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 3 },
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
});

/**
 * One run of a stream: validate, collect with the task's activity, save what was found (and, with
 * parse_now, read the new articles), record the outcome on the stream. Cancelling the workflow cancels
 * the running activity (which aborts its requests) and still records the outcome.
 */
export async function streamRun(rawInput: StreamRunInput): Promise<StreamRunResult> {
  // Already loaded by an earlier run on this worker, or loaded now: no command either way, and all
  // within this first activation, so the query handler below is there before any query is answered.
  // The first run on a worker takes a few more microtask turns here than the runs after it (and than
  // its own replay elsewhere): nothing may start before this await (no handler, no concurrent work)
  // whose order against it could then differ.
  const schemas = await loadRunSchemas();
  const { streamRunInputSchema, findTaskDefinition, taskTypes, applyRunPolicy } = schemas;
  const progress: RunProgress = { phase: 'validating', counts: schemas.emptyCounts(), attempt: 0, lastError: null };
  setHandler(progressQuery, () => progress);

  const parsedInput = streamRunInputSchema.safeParse(rawInput);
  if (!parsedInput.success) throw validationFailure(toFieldIssues(parsedInput.error, 'input'));
  const input = parsedInput.data;
  const task = findTaskDefinition(input.taskType);
  if (!task) {
    throw validationFailure([
      { path: 'taskType', message: `unknown task type "${input.taskType}" (known: ${taskTypes.join(', ')})` },
    ]);
  }
  const parsedConfig = task.configSchema.safeParse(input.config);
  if (!parsedConfig.success) throw validationFailure(toFieldIssues(parsedConfig.error, 'config'));

  const runId = workflowInfo().workflowId;
  const publishes = task.produces === 'publications';
  const writes = task.produces === 'docs';
  const report = (phase: RunProgress['phase']) => {
    progress.phase = phase;
    const { found, new: fresh, duplicate, published = 0 } = progress.counts;
    const tally = publishes
      ? `due ${found}, published ${published}`
      : writes
        ? `news ${found}, docs ${fresh}`
        : `found ${found}, new ${fresh}, duplicate ${duplicate}`;
    setCurrentDetails(`**${phase}** · ${input.streamName} (${task.type}) · ${tally}`);
  };

  try {
    const settings = applyRunPolicy(task.activity, input.runPolicy);
    const context = { runId, streamId: input.streamId, dryRun: input.dryRun };
    const outcome = publishes
      ? await publish(task.type as PublishTaskType, task.title, settings, parsedConfig.data, context, progress, report)
      : writes
        ? await writeAndSave(
            task.type as WriteTaskType,
            task.title,
            settings,
            parsedConfig.data,
            context,
            progress,
            report,
          )
        : await collectAndSave(
            task.type as CollectionTaskType,
            task.title,
            settings,
            parsedConfig.data,
            input,
            runId,
            progress,
            report,
            schemas,
          );
    const result: StreamRunResult = {
      streamId: input.streamId,
      taskType: task.type,
      counts: progress.counts,
      attempt: progress.attempt,
      ...outcome,
    };
    if (input.dryRun) {
      report('completed');
      return result;
    }

    report('recording');
    await outcomeRecorder.recordRunOutcome({
      streamId: input.streamId,
      runId,
      status: 'completed',
      counts: progress.counts,
      error: null,
      trigger: input.trigger,
    });
    report('completed');
    upsertMemo({ [memoKeys.outcome]: { counts: progress.counts, attempt: progress.attempt, error: null } });
    return result;
  } catch (error) {
    const status: RunOutcomeStatus = isCancellation(error) ? 'cancelled' : 'failed';
    progress.lastError = status === 'cancelled' ? null : rootCauseMessage(error);
    report(status);
    upsertMemo({
      [memoKeys.outcome]: { counts: progress.counts, attempt: progress.attempt, error: progress.lastError },
    });
    log.warn('stream run did not complete', { streamId: input.streamId, status, error: progress.lastError });
    if (input.dryRun) throw error;
    // Cleanup must run even though the workflow's scope is cancelled.
    await CancellationScope.nonCancellable(() =>
      outcomeRecorder.recordRunOutcome({
        streamId: input.streamId,
        runId,
        status,
        counts: progress.counts,
        error: progress.lastError,
        failureType: status === 'failed' ? rootFailureType(error) : null,
        trigger: input.trigger,
      }),
    );
    throw error;
  }
}

type RunExtras = Pick<StreamRunResult, 'preview' | 'publicationPreview' | 'docPreview' | 'notModified' | 'warnings'>;
type Report = (phase: RunProgress['phase']) => void;

/** A collection task: its activity finds links, the run saves them (and with parse_now reads the new articles). */
async function collectAndSave(
  taskType: CollectionTaskType,
  title: string,
  settings: TaskActivityDefaults,
  config: unknown,
  input: z.output<typeof streamRunInputSchema>,
  runId: string,
  progress: RunProgress,
  report: Report,
  { DRY_RUN_PREVIEW_LIMIT, enrichmentPlan }: RunSchemas,
): Promise<RunExtras> {
  report('collecting');
  const collected = await recordingAttempt(progress, settings, () =>
    taskActivity(
      taskType,
      title,
      settings,
    )(config, {
      sourceId: input.sourceId,
      dryRun: input.dryRun,
      runId,
      streamId: input.streamId,
    }),
  );
  progress.attempt = collected.attempt;
  progress.counts.found = collected.found;
  // A dry run's items are a preview: the activity says how many it collected in all.
  progress.counts.collected = collected.collected ?? collected.items.length;
  const warnings = collected.warnings?.length ? { warnings: collected.warnings } : {};
  if (input.dryRun) return { preview: collected.items.slice(0, DRY_RUN_PREVIEW_LIMIT), ...warnings };

  // The activity saved what it collected (items never travel through the history), and its counts are
  // the run's. Only a result from a worker of before that change still carries items: saveItems saves
  // them, as it did when that run started (its recorded history schedules that step).
  if (!collected.saved) report('saving');
  const saved =
    collected.saved ??
    (await store.saveItems({
      runId,
      streamId: input.streamId,
      sourceId: input.sourceId,
      items: collected.items,
      validators: collected.validators ?? [],
    }));
  if (collected.saved) progress.counts.collected = collected.saved.collected;
  progress.counts.new = saved.new;
  progress.counts.duplicate = saved.duplicate;

  const enrichment = enrichmentPlan(config);
  if (enrichment && saved.new > 0) {
    report('enriching');
    try {
      const { enriched } = await enrich.enrichItems({
        runId,
        max: enrichment.max,
        respectRobots: enrichment.respectRobots,
      });
      progress.counts.enriched = enriched;
    } catch (error) {
      if (isCancellation(error)) throw error;
      // The links are saved; not reading their articles must not turn the run into a failure.
      progress.counts.enriched = 0;
      log.warn('parse_now could not read the new articles', {
        streamId: input.streamId,
        error: rootCauseMessage(error),
      });
    }
  }
  return { ...(collected.notModified ? { notModified: true } : {}), ...warnings };
}

/** A doc-writing task: its activity writes docs for a medium (a model call), the run saves them apart, so a failed save never repeats the call. */
async function writeAndSave(
  taskType: WriteTaskType,
  title: string,
  settings: TaskActivityDefaults,
  config: unknown,
  context: TaskRunContext,
  progress: RunProgress,
  report: Report,
): Promise<RunExtras> {
  report('writing');
  const output = await recordingAttempt(progress, settings, () =>
    taskActivity(taskType, title, settings)(config, context),
  );
  progress.attempt = output.attempt;
  progress.counts.found = output.found;
  progress.counts.collected = output.docs.length;
  const warnings = output.warnings?.length ? { warnings: output.warnings } : {};
  if (context.dryRun) return { docPreview: output.docs, ...warnings };

  report('saving');
  const saved = await store.saveDocs({
    runId: context.runId,
    streamId: context.streamId,
    mediaId: output.mediaId,
    docs: output.docs,
  });
  progress.counts.new = saved.new;
  return warnings;
}

/** A publishing task: its activity claims, sends and records each message itself; nothing is left to save. */
async function publish(
  taskType: PublishTaskType,
  title: string,
  settings: TaskActivityDefaults,
  config: unknown,
  context: TaskRunContext,
  progress: RunProgress,
  report: Report,
): Promise<RunExtras> {
  report('publishing');
  const output = await recordingAttempt(progress, settings, () =>
    taskActivity(taskType, title, settings)(config, context),
  );
  progress.attempt = output.attempt;
  progress.counts.found = output.candidates;
  progress.counts.collected = output.candidates;
  progress.counts.published = output.published;
  progress.counts.refused = output.refused;
  progress.counts.unknown = output.unknown;
  return {
    ...(output.preview ? { publicationPreview: output.preview } : {}),
    ...(output.warnings?.length ? { warnings: output.warnings } : {}),
  };
}

/** Runs the task's activity; when it fails or is cancelled, progress.attempt says how many attempts it used. */
async function recordingAttempt<T>(
  progress: RunProgress,
  settings: TaskActivityDefaults,
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    progress.attempt = failedAttempt(error, settings.retry.maximumAttempts) ?? progress.attempt;
    throw error;
  }
}

/** The task's own activity with its timeouts and retry policy (the task's defaults, or the stream's overrides). */
function taskActivity<T extends TaskType>(taskType: T, title: string, settings: TaskActivityDefaults) {
  const activities = proxyActivities<Activities>({
    summary: title,
    startToCloseTimeout: settings.startToCloseTimeout,
    heartbeatTimeout: settings.heartbeatTimeout,
    scheduleToCloseTimeout: settings.scheduleToCloseTimeout,
    retry: { ...settings.retry, nonRetryableErrorTypes: [...nonRetryableFailureTypes] },
    // Wait for the activity to confirm it stopped, so "cancelled" means its requests are closed.
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  });
  return activities[taskType];
}

import { Context } from '@temporalio/activity';
import { z } from 'zod';
import type { CollectedItem } from '../../schemas/stream-run.js';
import { DRY_RUN_PREVIEW_LIMIT } from '../../schemas/stream-run.js';
import {
  telegramBulkParserConfigSchema,
  type TelegramBulkParserConfig,
} from '../../schemas/tasks/telegram-bulk-parser.js';
import { channelUsername } from '../../schemas/tasks/telegram-channel.js';
import { describeFieldIssues, toFieldIssues } from '../../schemas/validation.js';
import { validationFailure } from '../failures.js';
import { keepHeartbeating } from '../heartbeat.js';
import { postToItem } from '../telegram/posts-to-items.js';
import { readRecentPosts } from '../telegram/read-recent-posts.js';
import type { CollectionContext } from '../../schemas/stream-run.js';
import type { TaskActivityDeps, TaskActivityFactory } from './task-activity.js';

const TELEGRAM_HOSTS = ['t.me', 'www.t.me', 'telegram.me', 'www.telegram.me'] as const;

/** Where the run stands, sent with every heartbeat so a retried attempt resumes after the channels done. */
const bulkProgressSchema = z.object({
  doneChannels: z.array(z.string()),
  found: z.number(),
  collected: z.number(),
  new: z.number(),
  duplicate: z.number(),
  /** Channels that could not be read, with why; a retry tries them again. */
  failed: z.record(z.string(), z.string()),
  current: z.string().nullable(),
});
type BulkProgress = z.infer<typeof bulkProgressSchema>;

interface ChannelTarget {
  channel: string;
  sourceId: string;
}

/**
 * telegram_bulk_parser: the recent posts of many channels, one channel after another on the shared
 * fetch layer. Each channel's posts are saved under its own source as soon as they are read (a run over
 * hundreds of channels would not fit through the workflow's history), and the heartbeat carries which
 * channels are done, so a retry after a crash or a timeout goes on from there. A channel that cannot be
 * read is a warning; the run fails only when no channel could be read at all.
 */
export const createTelegramBulkParserActivity: TaskActivityFactory = (deps) =>
  async function telegramBulkParser(rawConfig, runContext) {
    const parsed = telegramBulkParserConfigSchema.safeParse(rawConfig);
    if (!parsed.success) throw validationFailure(describeFieldIssues(toFieldIssues(parsed.error, 'config')));
    const config = parsed.data;
    const context = Context.current();
    const dryRun = runContext?.dryRun ?? true;
    const save = dryRun ? undefined : savingTo(deps, runContext);

    const targets = await channelTargets(deps, config, runContext);
    const resumed = bulkProgressSchema.safeParse(context.info.heartbeatDetails);
    const progress: BulkProgress = resumed.success
      ? { ...resumed.data, current: null }
      : { doneChannels: [], found: 0, collected: 0, new: 0, duplicate: 0, failed: {}, current: null };
    const since = Date.now() - config.time_window_minutes * 60_000;
    const preview: CollectedItem[] = [];
    let firstFailure: Error | undefined;
    const stopHeartbeating = keepHeartbeating(() => progress);
    try {
      for (const target of targets) {
        if (progress.doneChannels.includes(target.channel)) continue;
        progress.current = target.channel;
        try {
          const recent = await readRecentPosts(deps.http, {
            baseUrl: config.base_url,
            channel: target.channel,
            since,
            maxPages: config.max_scrolls,
            timeoutMs: config.wait_time * 1000,
            respectRobots: config.respect_robots_txt,
            signal: context.cancellationSignal,
          });
          const items = recent.posts.map((post) => postToItem(post, config.include_media));
          progress.found += recent.seen;
          progress.collected += items.length;
          if (save) {
            // saveItems counts the rows carrying this run's id, across every source: the run's total so far,
            // right even when a retry saves a channel again.
            progress.new = (await save(target.sourceId, items)).new;
            progress.duplicate = progress.collected - progress.new;
          } else {
            preview.push(...items.slice(0, DRY_RUN_PREVIEW_LIMIT - preview.length));
          }
          progress.doneChannels.push(target.channel);
          delete progress.failed[target.channel];
        } catch (error) {
          if (context.cancellationSignal.aborted) throw error;
          firstFailure ??= error instanceof Error ? error : new Error(String(error));
          progress.failed[target.channel] = describeChannelFailure(error);
        }
      }
      progress.current = null;
      // Not one channel could be read: that is the run's failure (a transient one is retried, and the
      // retry tries every channel again), not a success with nothing in it.
      if (progress.doneChannels.length === 0 && firstFailure !== undefined) throw firstFailure;
      const skipped = Object.entries(progress.failed).map(([channel, reason]) => `@${channel}: ${reason}`);
      if (targets.length === 0)
        skipped.push(
          'no Telegram channels to read: add sources whose URL is https://t.me/<channel>, or list them in `channels`',
        );
      context.log.info('telegram channels read', {
        channels: targets.length,
        found: progress.found,
        collected: progress.collected,
        skipped: skipped.length,
      });
      const warnings = skipped.length > 0 ? { warnings: skipped } : {};
      if (!save)
        return {
          items: preview,
          collected: progress.collected,
          found: progress.found,
          attempt: context.info.attempt,
          ...warnings,
        };
      return {
        items: [],
        found: progress.found,
        attempt: context.info.attempt,
        saved: { collected: progress.collected, new: progress.new, duplicate: progress.duplicate },
        ...warnings,
      };
    } finally {
      stopHeartbeating();
    }
  };

/** The channels to read, each with the source its posts belong to: its own source, else the stream's. */
async function channelTargets(
  deps: TaskActivityDeps,
  config: TelegramBulkParserConfig,
  runContext: CollectionContext | undefined,
): Promise<ChannelTarget[]> {
  const sourceByChannel = new Map<string, string>();
  for (const source of (await deps.listSourcesOnHosts?.(TELEGRAM_HOSTS)) ?? []) {
    const parsed = channelUsername(source.url);
    if ('username' in parsed && !sourceByChannel.has(parsed.username.toLowerCase()))
      sourceByChannel.set(parsed.username.toLowerCase(), source.id);
  }
  if (!config.channels)
    return [...sourceByChannel]
      .map(([channel, sourceId]) => ({ channel, sourceId }))
      .sort((a, b) => a.channel.localeCompare(b.channel));
  const fallback = runContext?.sourceId;
  const targets = new Map<string, ChannelTarget>();
  for (const name of config.channels) {
    const channel = name.toLowerCase();
    const sourceId = sourceByChannel.get(channel) ?? fallback;
    if (sourceId && !targets.has(channel)) targets.set(channel, { channel, sourceId });
  }
  return [...targets.values()];
}

function savingTo(deps: TaskActivityDeps, runContext: CollectionContext | undefined) {
  const { saveItems } = deps;
  if (!saveItems || !runContext?.runId || !runContext.streamId) {
    throw new Error(
      'telegram_bulk_parser saves as it goes: the worker must provide saveItems and the run its id and stream',
    );
  }
  const { runId, streamId } = runContext;
  return (sourceId: string, items: CollectedItem[]) => saveItems({ runId, streamId, sourceId, items });
}

function describeChannelFailure(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

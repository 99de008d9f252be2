import { Context } from '@temporalio/activity';
import { FailureType } from '../../schemas/failure-types.js';
import type { PublicationPreview } from '../../schemas/publishing.js';
import { botTokenVariable, telegramPublishConfigSchema } from '../../schemas/tasks/telegram-publish.js';
import { describeFieldIssues, toFieldIssues } from '../../schemas/validation.js';
import { permanentFailure, transientFailure, validationFailure } from '../failures.js';
import { keepHeartbeating } from '../heartbeat.js';
import { BotApiError } from '../telegram/bot-api.js';
import { publicationMessage } from '../telegram/publication-message.js';
import type { PublishActivityFactory } from './task-activity.js';

/** A claim older than this belongs to an attempt that is certainly over (the task's start-to-close is 10 minutes). */
const STALE_CLAIM_MS = 30 * 60 * 1000;

/** The key publications are recorded under: one item is posted to one channel once. */
export const telegramChannelKey = (channelId: string) => `telegram:${channelId}`;

/**
 * Posts due items to a channel, one claim-send-settle step per message. The claim (a row in
 * `publications`) is written before the send, so neither a retry nor another stream posts the item
 * again; a send that surely did not leave gives its claim back, one whose answer was lost keeps it as
 * `unknown`. Cancellation is honoured between messages: a send in flight finishes (bounded by its
 * timeout) so that its outcome is known.
 */
export const createTelegramPublishActivity: PublishActivityFactory = (deps) =>
  async function telegramPublish(rawConfig, publishContext) {
    const parsed = telegramPublishConfigSchema.safeParse(rawConfig);
    if (!parsed.success) throw validationFailure(describeFieldIssues(toFieldIssues(parsed.error, 'config')));
    const config = parsed.data;
    const { publications, telegram } = deps;
    if (!publications || !telegram) throw permanentFailure(FailureType.Configuration, 'this worker was started without a database or Telegram settings for publishing');
    const tokenVariable = botTokenVariable(config.bot);
    const token = telegram.token(tokenVariable);
    if (!token && !publishContext.dryRun) {
      throw permanentFailure(FailureType.Configuration, `no bot token for bot "${config.bot}": set ${tokenVariable} in the worker's environment and restart it`);
    }

    const context = Context.current();
    const { runId, streamId } = publishContext;
    const channel = telegramChannelKey(config.channel_id);
    const warnings: string[] = [];

    const known = await publications.existingSourceIds(config.sources);
    const missing = config.sources.filter((id) => !known.includes(id));
    if (known.length === 0) throw validationFailure(`config.sources: no source ${missing.join(', ')}`);
    if (missing.length > 0) warnings.push(`sources not found (deleted?): ${missing.join(', ')}`);

    const now = Date.now();
    if (!publishContext.dryRun) {
      const interrupted = await publications.markInterruptedSends({ channel, runId, staleBefore: new Date(now - STALE_CLAIM_MS).toISOString() });
      if (interrupted > 0) warnings.push(`${interrupted} message(s) were being sent when an attempt stopped; marked unknown, not re-sent (check the channel)`);
    }
    const settledBefore = publishContext.dryRun ? 0 : sum(await publications.countRun(runId, channel));
    const due = await publications.findItemsToPublish({
      sourceIds: known,
      channel,
      since: new Date(now - config.time_window_minutes * 60_000).toISOString(),
      limit: config.batch_size,
    });

    if (publishContext.dryRun) {
      const preview: PublicationPreview[] = due.map((item) => ({ itemId: item.id, url: item.url, text: publicationMessage(item, config.excerpt_length) }));
      if (!token) warnings.push(`no bot token: ${tokenVariable} is not set on the worker, so a real run would fail`);
      return { candidates: due.length, published: 0, refused: 0, unknown: 0, attempt: context.info.attempt, preview, ...(warnings.length ? { warnings } : {}) };
    }

    let handled = 0;
    let skipped = 0;
    const stopHeartbeating = keepHeartbeating(() => ({ handled, of: due.length }));
    try {
      for (const item of due) {
        if (context.cancellationSignal.aborted) throw context.cancellationSignal.reason;
        // Context.sleep ends early, with the cancellation, when the run is cancelled.
        if (handled > 0 && config.delay_between_messages > 0) await context.sleep(config.delay_between_messages * 1000);
        handled += 1;
        const claim = { itemId: item.id, channel, streamId, runId };
        if (!(await publications.claim(claim))) {
          skipped += 1;
          continue;
        }
        try {
          const messageId = await telegram.sendMessage(token as string, {
            chatId: config.channel_id,
            html: publicationMessage(item, config.excerpt_length),
            disableLinkPreview: config.disable_link_preview,
          });
          await publications.settle(claim, { status: 'sent', externalId: messageId });
        } catch (error) {
          if (!(error instanceof BotApiError)) throw error;
          if (error.kind === 'refused') {
            await publications.settle(claim, { status: 'refused', error: error.message });
            context.log.warn('message refused', { itemId: item.id, channel, error: error.message });
            continue;
          }
          if (error.kind === 'unknown') {
            await publications.settle(claim, { status: 'unknown', error: error.message });
            throw transientFailure(FailureType.Network, error.message, { details: { itemId: item.id } });
          }
          await publications.release(claim);
          if (error.kind === 'not-sent') throw transientFailure(FailureType.HttpTransient, error.message, { retryAfterMs: error.retryAfterMs });
          throw permanentFailure(FailureType.HttpPermanent, `${config.channel_id}: ${error.message}`);
        }
      }
    } finally {
      stopHeartbeating();
    }

    const counts = await publications.countRun(runId, channel);
    if (skipped > 0) warnings.push(`${skipped} item(s) were being published to ${config.channel_id} by another run and were left to it`);
    context.log.info('published', { channel, sent: counts.sent, refused: counts.refused, unknown: counts.unknown });
    return {
      candidates: settledBefore + due.length,
      published: counts.sent,
      refused: counts.refused,
      unknown: counts.unknown,
      attempt: context.info.attempt,
      ...(warnings.length ? { warnings } : {}),
    };
  };

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((total, count) => total + count, 0);

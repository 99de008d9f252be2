import { Context } from '@temporalio/activity';
import { FailureType } from '../../schemas/failure-types.js';
import type { PublicationPreview, PublishOutput } from '../../schemas/publishing.js';
import type { TaskRunContext } from '../../schemas/stream-run.js';
import { botTokenVariable } from '../../schemas/telegram-target.js';
import type { PublicationSubject } from '../ports.js';
import { permanentFailure, transientFailure } from '../failures.js';
import { keepHeartbeating } from '../heartbeat.js';
import type { PublicationStore } from '../tasks/task-activity.js';
import { BotApiError, type TelegramBotApi } from './bot-api.js';

/** A claim older than this belongs to an attempt that is certainly over (publishing tasks' start-to-close is 10 minutes). */
const STALE_CLAIM_MS = 30 * 60 * 1000;

/** Time kept free at the end of an attempt for settling the last message and reporting. */
const ATTEMPT_MARGIN_MS = 5000;

/** The key publications are recorded under: one item or doc is posted to one channel once. */
export const telegramChannelKey = (channelId: string) => `telegram:${channelId}`;

export interface OutgoingMessage {
  subject: PublicationSubject;
  url: string | null;
  html: string;
}

/** The config fields every Telegram publishing task shares (schemas/telegram-target.ts). */
export interface ChannelConfig {
  bot: string;
  channel_id: string;
  disable_link_preview: boolean;
  delay_between_messages: number;
  batch_size: number;
}

export const channelTarget = (config: ChannelConfig): ChannelTarget => ({
  bot: config.bot,
  channelId: config.channel_id,
  disableLinkPreview: config.disable_link_preview,
  delayBetweenMessagesSeconds: config.delay_between_messages,
  batchSize: config.batch_size,
});

export interface ChannelTarget {
  bot: string;
  channelId: string;
  disableLinkPreview: boolean;
  delayBetweenMessagesSeconds: number;
  /** Most messages one run handles (sent, refused or unknown), over all its attempts. */
  batchSize: number;
}

/**
 * Posts what is due to a channel, one claim-send-settle step per message. The claim (a row in
 * `publications`) is written before the send, so neither a retry nor another stream posts it again; a
 * send that surely did not leave gives its claim back, one whose answer was lost keeps it as `unknown`.
 * Cancellation is honoured between messages: a send in flight finishes (bounded by its timeout) so that
 * its outcome is known. `selectDue` runs after interrupted sends of earlier attempts are settled, and
 * is asked for what is left of the run's batch: a retried attempt does not send a second batch_size.
 */
export async function publishToChannel(
  deps: { publications: PublicationStore; telegram: TelegramBotApi },
  target: ChannelTarget,
  run: TaskRunContext,
  selectDue: (channel: string, limit: number) => Promise<OutgoingMessage[]>,
  warnings: string[] = [],
): Promise<PublishOutput> {
  const { publications, telegram } = deps;
  const tokenVariable = botTokenVariable(target.bot);
  const token = telegram.token(tokenVariable);
  if (!token && !run.dryRun) {
    throw permanentFailure(
      FailureType.Configuration,
      `no bot token for bot "${target.bot}": set ${tokenVariable} in the worker's environment and restart it`,
    );
  }
  const context = Context.current();
  const channel = telegramChannelKey(target.channelId);

  if (run.dryRun) {
    const due = await selectDue(channel, target.batchSize);
    const preview: PublicationPreview[] = due.map((message) => ({
      ...message.subject,
      url: message.url,
      text: message.html,
    }));
    if (!token) warnings.push(`no bot token: ${tokenVariable} is not set on the worker, so a real run would fail`);
    return {
      candidates: due.length,
      published: 0,
      refused: 0,
      unknown: 0,
      attempt: context.info.attempt,
      preview,
      ...(warnings.length ? { warnings } : {}),
    };
  }

  const interrupted = await publications.markInterruptedSends({
    channel,
    runId: run.runId,
    staleBefore: new Date(Date.now() - STALE_CLAIM_MS).toISOString(),
  });
  if (interrupted > 0)
    warnings.push(
      `${interrupted} message(s) were being sent when an attempt stopped; marked unknown, not re-sent (check the channel)`,
    );
  const settledBefore = Object.values(await publications.countRun(run.runId, channel)).reduce(
    (total, count) => total + count,
    0,
  );
  const left = Math.max(0, target.batchSize - settledBefore);
  const due = left > 0 ? await selectDue(channel, left) : [];
  if (left === 0)
    warnings.push(
      `this run already handled its batch of ${target.batchSize} message(s) in earlier attempts; the rest wait for the next run`,
    );

  // Stop early rather than be cut off by the attempt's time limit mid-send (which would leave an unknown):
  // what is left is due again at the next run.
  const { startToCloseTimeoutMs, currentAttemptScheduledTimestampMs } = context.info;
  const mustEndBy =
    currentAttemptScheduledTimestampMs + startToCloseTimeoutMs - telegram.sendTimeoutMs - ATTEMPT_MARGIN_MS;
  let handled = 0;
  let skipped = 0;
  const stopHeartbeating = keepHeartbeating(() => ({ handled, of: due.length }));
  try {
    for (const message of due) {
      if (context.cancellationSignal.aborted) throw context.cancellationSignal.reason;
      const pauseMs = handled > 0 ? target.delayBetweenMessagesSeconds * 1000 : 0;
      if (Date.now() + pauseMs > mustEndBy) {
        warnings.push(
          `${due.length - handled} message(s) left for the next run: this attempt's time limit would have cut them off`,
        );
        break;
      }
      // Context.sleep ends early, with the cancellation, when the run is cancelled.
      if (pauseMs > 0) await context.sleep(pauseMs);
      handled += 1;
      const claim = { subject: message.subject, channel, streamId: run.streamId, runId: run.runId };
      if (!(await publications.claim(claim))) {
        skipped += 1;
        continue;
      }
      try {
        const messageId = await telegram.sendMessage(token as string, {
          chatId: target.channelId,
          html: message.html,
          disableLinkPreview: target.disableLinkPreview,
        });
        await publications.settle(claim, { status: 'sent', externalId: messageId });
      } catch (error) {
        if (!(error instanceof BotApiError)) throw error;
        if (error.kind === 'refused') {
          await publications.settle(claim, { status: 'refused', error: error.message });
          context.log.warn('message refused', { ...message.subject, channel, error: error.message });
          continue;
        }
        if (error.kind === 'unknown') {
          await publications.settle(claim, { status: 'unknown', error: error.message });
          throw transientFailure(FailureType.Network, error.message, { details: message.subject });
        }
        await publications.release(claim);
        if (error.kind === 'not-sent')
          throw transientFailure(FailureType.HttpTransient, error.message, { retryAfterMs: error.retryAfterMs });
        throw permanentFailure(FailureType.HttpPermanent, `${target.channelId}: ${error.message}`);
      }
    }
  } finally {
    stopHeartbeating();
  }

  const counts = await publications.countRun(run.runId, channel);
  if (skipped > 0)
    warnings.push(
      `${skipped} message(s) were being published to ${target.channelId} by another run and were left to it`,
    );
  context.log.info('published', { channel, sent: counts.sent, refused: counts.refused, unknown: counts.unknown });
  return {
    candidates: settledBefore + handled,
    published: counts.sent,
    refused: counts.refused,
    unknown: counts.unknown,
    attempt: context.info.attempt,
    ...(warnings.length ? { warnings } : {}),
  };
}

import { FailureType } from '../../schemas/failure-types.js';
import { telegramPublishConfigSchema } from '../../schemas/tasks/telegram-publish.js';
import { describeFieldIssues, toFieldIssues } from '../../schemas/validation.js';
import { permanentFailure, validationFailure } from '../failures.js';
import { channelTarget, publishToChannel } from '../telegram/channel-publisher.js';
import { publicationMessage } from '../telegram/publication-message.js';
import type { PublishActivityFactory } from './task-activity.js';

/** Posts the due items of the configured sources to a channel (see publishToChannel for the guarantees). */
export const createTelegramPublishActivity: PublishActivityFactory = (deps) =>
  async function telegramPublish(rawConfig, run) {
    const parsed = telegramPublishConfigSchema.safeParse(rawConfig);
    if (!parsed.success) throw validationFailure(describeFieldIssues(toFieldIssues(parsed.error, 'config')));
    const config = parsed.data;
    const { publications, telegram } = deps;
    if (!publications || !telegram)
      throw permanentFailure(
        FailureType.Configuration,
        'this worker was started without a database or Telegram settings for publishing',
      );

    const known = await publications.existingSourceIds(config.sources);
    const missing = config.sources.filter((id) => !known.includes(id));
    if (known.length === 0) throw validationFailure(`config.sources: no source ${missing.join(', ')}`);
    const warnings = missing.length > 0 ? [`sources not found (deleted?): ${missing.join(', ')}`] : [];
    const since = new Date(Date.now() - config.time_window_minutes * 60_000).toISOString();

    return publishToChannel(
      { publications, telegram },
      channelTarget(config),
      run,
      async (channel, limit) => {
        const items = await publications.findItemsToPublish({ sourceIds: known, channel, since, limit });
        return items.map((item) => ({
          subject: { itemId: item.id },
          url: item.url,
          html: publicationMessage(item, config.excerpt_length),
        }));
      },
      warnings,
    );
  };

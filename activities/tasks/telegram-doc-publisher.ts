import { FailureType } from '../../schemas/failure-types.js';
import { telegramDocPublisherConfigSchema } from '../../schemas/tasks/telegram-doc-publisher.js';
import { describeFieldIssues, toFieldIssues } from '../../schemas/validation.js';
import { permanentFailure, validationFailure } from '../failures.js';
import { publishToChannel } from '../telegram/channel-publisher.js';
import { templatedDocMessage } from '../telegram/publication-message.js';
import type { PublishActivityFactory } from './task-activity.js';

/** Announces a medium's docs that have a Google Doc (status edit) and moves each to `publish`. */
export const createTelegramDocPublisherActivity: PublishActivityFactory = (deps) =>
  async function telegramDocPublisher(rawConfig, run) {
    const parsed = telegramDocPublisherConfigSchema.safeParse(rawConfig);
    if (!parsed.success) throw validationFailure(describeFieldIssues(toFieldIssues(parsed.error, 'config')));
    const config = parsed.data;
    const { publications, telegram, docs } = deps;
    if (!publications || !telegram || !docs) throw permanentFailure(FailureType.Configuration, 'this worker was started without a database or Telegram settings for publishing');
    if (!(await docs.mediaExists(config.media_id))) throw validationFailure(`config.media_id: no medium ${config.media_id}`);

    return publishToChannel(
      { publications, telegram },
      { bot: config.bot, channelId: config.channel_id, disableLinkPreview: config.disable_link_preview, delayBetweenMessagesSeconds: config.delay_between_messages },
      run,
      async (channel) => {
        const due = await docs.findDocsToPublish({ mediaId: config.media_id, statuses: ['edit'], channel, limit: config.batch_size, withGoogleDoc: true });
        return due.map((doc) => ({
          subject: { docId: doc.id },
          url: doc.googleDocUrl,
          html: templatedDocMessage(config.message_template, doc),
        }));
      },
    );
  };

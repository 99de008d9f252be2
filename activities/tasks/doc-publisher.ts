import { FailureType } from '../../schemas/failure-types.js';
import { DOC_PUBLISHER_STATUSES, docPublisherConfigSchema } from '../../schemas/tasks/doc-publisher.js';
import { describeFieldIssues, toFieldIssues } from '../../schemas/validation.js';
import { permanentFailure, validationFailure } from '../failures.js';
import { publishToChannel } from '../telegram/channel-publisher.js';
import { docMessage } from '../telegram/publication-message.js';
import type { PublishActivityFactory } from './task-activity.js';

/** Posts a medium's due docs to a channel and moves each to `publish` (or `failed` when refused). */
export const createDocPublisherActivity: PublishActivityFactory = (deps) =>
  async function docPublisher(rawConfig, run) {
    const parsed = docPublisherConfigSchema.safeParse(rawConfig);
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
        const due = await docs.findDocsToPublish({ mediaId: config.media_id, statuses: DOC_PUBLISHER_STATUSES, channel, limit: config.batch_size });
        return due.map((doc) => ({
          subject: { docId: doc.id },
          url: doc.url,
          html: docMessage(doc, config.google_doc_links),
        }));
      },
    );
  };

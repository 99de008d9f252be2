import { z } from 'zod';
import { defineTask } from '../task-definition.js';
import { telegramPublishingActivity, telegramPublishingConfig, telegramTargetFields } from '../telegram-target.js';
import { textTemplate } from '../text-template.js';

/** What a telegram_doc_publisher message may say about its doc. */
export const docMessagePlaceholders = ['title', 'google_doc_link', 'text', 'url'] as const;

const telegramDocPublisherFields = z
  .object({
    media_id: z.string().min(1).max(100).describe('The medium whose edited docs are announced.'),
    channel_id: telegramTargetFields.channel_id,
    bot: telegramTargetFields.bot,
    message_template: textTemplate(docMessagePlaceholders, 3000)
      .default('<b>{title}</b>\n\n{google_doc_link}')
      .describe(
        'The message, in Telegram HTML: {title}, {google_doc_link}, {text} and {url} are filled in (escaped); {{ and }} are literal braces.',
      ),
    batch_size: z
      .number()
      .int()
      .min(1)
      .max(100)
      .default(10)
      .describe(
        'Most docs one run announces, oldest first, counted over all its attempts (a retried attempt sends only what is left).',
      ),
    delay_between_messages: telegramTargetFields.delay_between_messages.default(2),
    disable_link_preview: telegramTargetFields.disable_link_preview,
  })
  .strict();

export const telegramDocPublisherConfigSchema = telegramPublishingConfig(telegramDocPublisherFields);

export type TelegramDocPublisherConfig = z.output<typeof telegramDocPublisherConfigSchema>;

const example: z.input<typeof telegramDocPublisherFields> = {
  media_id: 'med_0123456789ab',
  channel_id: '@newloom_editors',
  message_template: 'Ready for review: <b>{title}</b>\n{google_doc_link}',
};

export const telegramDocPublisherTask = defineTask({
  type: 'telegram_doc_publisher',
  title: 'Announce Google Docs on Telegram',
  description:
    "Posts a message for each of a medium's docs that `google_doc_creator` put into a Google Doc (status edit, with a link) to a Telegram channel, from the stream's template, and moves the doc to `publish`. Same claim-before-send guarantees as `telegram_publish`; the bot's token comes from the worker's environment. (In the system this replaces, this task could never run: it read a chat id the model did not have.)",
  produces: 'publications',
  configSchema: telegramDocPublisherConfigSchema,
  example,
  activity: telegramPublishingActivity,
});

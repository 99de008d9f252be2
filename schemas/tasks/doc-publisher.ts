import { z } from 'zod';
import { defineTask } from '../task-definition.js';
import { telegramPublishingActivity, telegramPublishingConfig, telegramTargetFields } from '../telegram-target.js';

/** Docs in these statuses are due, as in the system this replaces: written, being edited, or refused before. */
export const DOC_PUBLISHER_STATUSES = ['new', 'edit', 'failed'] as const;

const docPublisherFields = z
  .object({
    media_id: z.string().min(1).max(100).describe('The medium whose docs are published.'),
    channel_id: telegramTargetFields.channel_id,
    bot: telegramTargetFields.bot,
    batch_size: z
      .number()
      .int()
      .min(1)
      .max(100)
      .default(10)
      .describe(
        'Most docs one run publishes, oldest first, counted over all its attempts (a retried attempt sends only what is left).',
      ),
    google_doc_links: z.boolean().default(false).describe('Add "Google Doc: <link>" under docs that have one.'),
    delay_between_messages: telegramTargetFields.delay_between_messages,
    disable_link_preview: telegramTargetFields.disable_link_preview,
  })
  .strict();

export const docPublisherConfigSchema = telegramPublishingConfig(docPublisherFields);

export type DocPublisherConfig = z.output<typeof docPublisherConfigSchema>;

const example: z.input<typeof docPublisherFields> = {
  media_id: 'med_0123456789ab',
  channel_id: '-1001234567890',
  batch_size: 5,
};

export const docPublisherTask = defineTask({
  type: 'doc_publisher',
  title: 'Publish docs to a Telegram channel',
  description:
    "Posts a medium's docs (status new, edit or failed; oldest first) to a Telegram channel: title in bold, the text (shortened to fit a message), the link. A posted doc becomes `publish`, a refused one `failed`. Each doc is claimed in `publications` before it is sent, with the same at-most-once guarantees as `telegram_publish`; the bot's token comes from the worker's environment.",
  produces: 'publications',
  configSchema: docPublisherConfigSchema,
  example,
  activity: telegramPublishingActivity,
});

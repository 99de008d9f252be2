import { z } from 'zod';
import { defineTask } from '../task-definition.js';
import { telegramPublishingActivity, telegramPublishingConfig, telegramTargetFields } from '../telegram-target.js';

const telegramPublishFields = z
  .object({
    channel_id: telegramTargetFields.channel_id,
    sources: z
      .array(z.string().min(1).max(64))
      .min(1)
      .max(100)
      .describe('Ids of the sources whose items are published (what collection streams saved into them).'),
    bot: telegramTargetFields.bot,
    batch_size: z
      .number()
      .int()
      .min(1)
      .max(50)
      .default(10)
      .describe(
        'Most messages one run sends, counted over all its attempts (a retried attempt sends only what is left); the rest wait for the next run.',
      ),
    time_window_minutes: z
      .number()
      .int()
      .min(1)
      .max(10_080)
      .default(60)
      .describe(
        "Only items first seen within this many minutes before the run, so a new stream does not post a source's whole history.",
      ),
    excerpt_length: z
      .number()
      .int()
      .min(0)
      .max(3000)
      .refine((length) => length === 0 || length >= 20, 'must be 0 (no excerpt) or at least 20')
      .default(250)
      .describe("Characters of the item's summary (or text) under its title; 0 posts title and link only."),
    delay_between_messages: telegramTargetFields.delay_between_messages,
    disable_link_preview: telegramTargetFields.disable_link_preview,
  })
  .strict();

export const telegramPublishConfigSchema = telegramPublishingConfig(telegramPublishFields);

export type TelegramPublishConfig = z.output<typeof telegramPublishConfigSchema>;

const example: z.input<typeof telegramPublishFields> = {
  channel_id: '@newloom_digest',
  sources: ['src_0123456789abcdef'],
  batch_size: 10,
  time_window_minutes: 60,
};

export const telegramPublishTask = defineTask({
  type: 'telegram_publish',
  title: 'Publish to a Telegram channel',
  description:
    "Posts the newest items of the given sources to a Telegram channel through the Bot API: title in bold, an excerpt, the link. Each item is posted to a channel at most once, whichever stream or run sends it: it is claimed in the database before its message is sent. A message whose answer was lost (a crash or timeout mid-send) is marked `unknown` and never re-sent automatically; a message Telegram refuses is marked `refused` and the run goes on. The bot's token comes from the worker's environment, never from the stream.",
  produces: 'publications',
  configSchema: telegramPublishConfigSchema,
  example,
  activity: telegramPublishingActivity,
});

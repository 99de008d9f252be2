import { z } from 'zod';
import { fetchPolicyFields, httpUrl } from '../fields.js';
import { defineTask } from '../task-definition.js';
import { telegramUsername } from './telegram-channel.js';

export const telegramBulkParserConfigSchema = z
  .object({
    channels: z
      .array(telegramUsername)
      .min(1)
      .max(200)
      .optional()
      .describe(
        'Only these channels (@name, name or https://t.me/name); without it, every source whose URL is a t.me channel.',
      ),
    time_window_minutes: z
      .number()
      .int()
      .min(1)
      .max(1440)
      .default(60)
      .describe('Keep posts published within this many minutes before the run.'),
    max_scrolls: z
      .number()
      .int()
      .min(1)
      .max(100)
      .default(20)
      .describe(
        'Most older preview pages read per channel (each about 20 posts) while their posts are still inside the window.',
      ),
    wait_time: z
      .number()
      .int()
      .min(1)
      .max(30)
      .default(10)
      .describe('Seconds one preview page may take to arrive before the channel is skipped.'),
    include_media: z
      .boolean()
      .default(true)
      .describe("Keep the addresses of each post's photos, videos, voice notes and files."),
    base_url: httpUrl
      .default('https://t.me')
      .describe('Where the web previews are served; items always link to `https://t.me/<channel>/<post>`.'),
    ...fetchPolicyFields,
  })
  .strict();

export type TelegramBulkParserConfig = z.output<typeof telegramBulkParserConfigSchema>;

export const telegramBulkParserTask = defineTask({
  type: 'telegram_bulk_parser',
  title: 'Telegram channels in bulk',
  description:
    "Reads the recent posts of many public Telegram channels from their web previews: every source whose URL is a t.me channel (or the listed `channels`), posts within `time_window_minutes`. Each channel's posts are saved under that channel's source as soon as they are read, so a retry or a restarted worker continues with the channels not yet done; a channel that cannot be read is skipped with a warning in the run's result.",
  produces: 'links',
  configSchema: telegramBulkParserConfigSchema,
  example: { time_window_minutes: 120, max_scrolls: 5, wait_time: 10 },
  activity: {
    startToCloseTimeout: '30 minutes',
    heartbeatTimeout: '30 seconds',
    scheduleToCloseTimeout: '1 hour',
    retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '2 minutes', maximumAttempts: 5 },
  },
});

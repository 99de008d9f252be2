import { z } from 'zod';
import { defineTask } from '../task-definition.js';

// A channel or supergroup id as the Bot API gives it (-100 then digits), or a public @username.
const CHAT_ID = /^-100\d{5,}$/;
const CHAT_USERNAME = /^@[A-Za-z][A-Za-z0-9_]{4,31}$/;
const BOT_NAME = /^[a-z0-9_]{1,32}$/;

/** The environment variable a bot's token is read from, on the worker: the token never enters a config. */
export function botTokenVariable(bot: string): string {
  return bot === 'default' ? 'TELEGRAM_BOT_TOKEN' : `TELEGRAM_BOT_TOKEN_${bot.toUpperCase()}`;
}

const telegramPublishFields = z
  .object({
    channel_id: z
      .string()
      .trim()
      .refine((value) => CHAT_ID.test(value) || CHAT_USERNAME.test(value), {
        message: 'must be a channel id as the Bot API gives it (-100 followed by digits) or a public channel\'s @username',
      })
      .describe('Where to post: the channel\'s id (-1001234567890) or its @username. The bot must be an administrator of the channel allowed to post.'),
    sources: z
      .array(z.string().min(1).max(64))
      .min(1)
      .max(100)
      .describe('Ids of the sources whose items are published (what collection streams saved into them).'),
    bot: z
      .string()
      .regex(BOT_NAME, 'must be lowercase letters, digits or underscores, e.g. default or newsroom')
      .default('default')
      .describe('Which bot posts: `default` reads the token from the worker\'s TELEGRAM_BOT_TOKEN, any other name from TELEGRAM_BOT_TOKEN_<NAME>. Tokens are never stored in a stream.'),
    batch_size: z.number().int().min(1).max(50).default(10).describe('Most messages one run sends; the rest wait for the next run.'),
    time_window_minutes: z
      .number()
      .int()
      .min(1)
      .max(10_080)
      .default(60)
      .describe('Only items first seen within this many minutes before the run, so a new stream does not post a source\'s whole history.'),
    excerpt_length: z
      .number()
      .int()
      .min(0)
      .max(3000)
      .refine((length) => length === 0 || length >= 20, 'must be 0 (no excerpt) or at least 20')
      .default(250)
      .describe('Characters of the item\'s summary (or text) under its title; 0 posts title and link only.'),
    delay_between_messages: z.number().int().min(0).max(60).default(3).describe('Seconds between two messages; Telegram allows about 20 posts a minute to one channel.'),
    disable_link_preview: z.boolean().default(false).describe('Post without the link preview Telegram would draw under the message.'),
  })
  .strict();

/** A config carrying a token (the old system stored it there) is refused with the way to give it instead. */
function refuseStoredToken(value: unknown, ctx: z.RefinementCtx): unknown {
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && 'bot_token' in value) {
    ctx.addIssue({
      code: 'custom',
      path: ['bot_token'],
      message: 'bot tokens are not stored in streams (they would be readable in every run\'s history): set TELEGRAM_BOT_TOKEN on the worker, or TELEGRAM_BOT_TOKEN_<NAME> and `bot: "<name>"`',
    });
  }
  return value;
}

export const telegramPublishConfigSchema = z.preprocess(refuseStoredToken, telegramPublishFields);

export type TelegramPublishConfig = z.output<typeof telegramPublishConfigSchema>;

const example: z.input<typeof telegramPublishFields> = { channel_id: '@newloom_digest', sources: ['src_0123456789abcdef'], batch_size: 10, time_window_minutes: 60 };

export const telegramPublishTask = defineTask({
  type: 'telegram_publish',
  title: 'Publish to a Telegram channel',
  description:
    'Posts the newest items of the given sources to a Telegram channel through the Bot API: title in bold, an excerpt, the link. Each item is posted to a channel at most once, whichever stream or run sends it: it is claimed in the database before its message is sent. A message whose answer was lost (a crash or timeout mid-send) is marked `unknown` and never re-sent automatically; a message Telegram refuses is marked `refused` and the run goes on. The bot\'s token comes from the worker\'s environment, never from the stream.',
  produces: 'publications',
  configSchema: telegramPublishConfigSchema,
  example,
  activity: {
    startToCloseTimeout: '10 minutes',
    heartbeatTimeout: '30 seconds',
    scheduleToCloseTimeout: '30 minutes',
    retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 6 },
  },
});

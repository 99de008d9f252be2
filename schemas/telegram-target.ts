import { z } from 'zod';

// A channel or supergroup id as the Bot API gives it (-100 then digits), or a public @username.
const CHAT_ID = /^-100\d{5,}$/;
const CHAT_USERNAME = /^@[A-Za-z][A-Za-z0-9_]{4,31}$/;
const BOT_NAME = /^[a-z0-9_]{1,32}$/;

/** The environment variable a bot's token is read from, on the worker: the token never enters a config. */
export function botTokenVariable(bot: string): string {
  return bot === 'default' ? 'TELEGRAM_BOT_TOKEN' : `TELEGRAM_BOT_TOKEN_${bot.toUpperCase()}`;
}

/** Where and how a publishing task posts to Telegram; shared by every task that does. */
export const telegramTargetFields = {
  channel_id: z
    .string()
    .trim()
    .refine((value) => CHAT_ID.test(value) || CHAT_USERNAME.test(value), {
      message: "must be a channel id as the Bot API gives it (-100 followed by digits) or a public channel's @username",
    })
    // Usernames are case-insensitive: one spelling, so @Harbour and @harbour are one channel in publications.
    .transform((value) => (value.startsWith('@') ? value.toLowerCase() : value))
    .describe(
      "Where to post: the channel's id (-1001234567890) or its @username. The bot must be an administrator of the channel allowed to post. Use one form per channel: items are posted once per form written here.",
    ),
  bot: z
    .string()
    .regex(BOT_NAME, 'must be lowercase letters, digits or underscores, e.g. default or newsroom')
    .default('default')
    .describe(
      "Which bot posts: `default` reads the token from the worker's TELEGRAM_BOT_TOKEN, any other name from TELEGRAM_BOT_TOKEN_<NAME>. Tokens are never stored in a stream.",
    ),
  delay_between_messages: z
    .number()
    .int()
    .min(0)
    .max(60)
    .default(3)
    .describe('Seconds between two messages; Telegram allows about 20 posts a minute to one channel.'),
  disable_link_preview: z
    .boolean()
    .default(false)
    .describe('Post without the link preview Telegram would draw under the message.'),
};

/**
 * How a Telegram publishing task's activity runs: ten minutes an attempt (a batch stops short of it),
 * patient retries, since a 429 or a Telegram outage passes.
 */
export const telegramPublishingActivity = {
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '30 seconds',
  scheduleToCloseTimeout: '30 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 6 },
};

/** A config carrying a token (the old system stored it there) is refused with the way to give it instead. */
function refuseStoredToken(value: unknown, ctx: z.RefinementCtx): unknown {
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && 'bot_token' in value) {
    ctx.addIssue({
      code: 'custom',
      path: ['bot_token'],
      message:
        'bot tokens are not stored in streams (they would be readable in every run\'s history): set TELEGRAM_BOT_TOKEN on the worker, or TELEGRAM_BOT_TOKEN_<NAME> and `bot: "<name>"`',
    });
  }
  return value;
}

/** The config schema of a Telegram publishing task: its fields, refusing a stored token by name. */
export const telegramPublishingConfig = <TShape extends z.ZodRawShape>(fields: z.ZodObject<TShape>) =>
  z.preprocess(refuseStoredToken, fields);

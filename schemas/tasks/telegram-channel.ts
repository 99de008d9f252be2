import { z } from 'zod';
import { fetchPolicyFields, httpUrl } from '../fields.js';
import { defineTask } from '../task-definition.js';

// Telegram's rule for public usernames; t.me answers case-insensitively, so the case is kept as given.
const USERNAME = /^[A-Za-z][A-Za-z0-9_]{4,31}$/;
// t.me links as people copy them: the channel, its preview (/s/), one of its posts, with or without a query.
const CHANNEL_LINK = /^(?:https?:\/\/)?(?:www\.)?(?:t|telegram)\.me\/(?:s\/)?([^/?#]*)(?:\/\d+)?\/?(?:[?#].*)?$/i;
const INVITE_LINK = /^(?:https?:\/\/)?(?:www\.)?(?:t|telegram)\.me\/(?:\+|joinchat\/)/i;
const NUMERIC_ID = /^[-+]?\d+$/;

/**
 * The username a public channel's web preview (t.me/s/<username>) is addressed by, read from the forms
 * people paste: `@name`, `name`, `https://t.me/name`, `https://t.me/s/name`. Otherwise why it cannot
 * be used, worded for the person who wrote the config.
 */
export function channelUsername(raw: string): { username: string } | { problem: string } {
  const value = raw.trim();
  if (NUMERIC_ID.test(value)) {
    return {
      problem: `${value} is a numeric chat id, which only the Bot API knows; the public web preview needs the channel's username, e.g. @telegram or https://t.me/telegram`,
    };
  }
  if (INVITE_LINK.test(value))
    return {
      problem:
        "an invite link leads to a private chat, which has no public web preview; give a public channel's username",
    };
  const candidate = CHANNEL_LINK.exec(value)?.[1] ?? value.replace(/^@/, '');
  if (!USERNAME.test(candidate)) {
    return {
      problem:
        "must be a public channel's username (5–32 letters, digits or underscores, starting with a letter) as @name, name or https://t.me/name",
    };
  }
  return { username: candidate };
}

/**
 * A public Telegram username, normalised from any form `channelUsername` reads. Numbers are read as
 * text so that a numeric chat id (the old config's form) gets the explanation rather than "expected string".
 */
export const telegramUsername = z.preprocess(
  (value) => (typeof value === 'number' ? String(value) : value),
  z.string().transform((value, ctx) => {
    const result = channelUsername(value);
    if ('username' in result) return result.username;
    ctx.addIssue({ code: 'custom', message: result.problem, input: value });
    return z.NEVER;
  }),
);

const telegramChannelFields = z
  .object({
    channel: telegramUsername.describe(
      'The public channel: @name, name, https://t.me/name or https://t.me/s/name (`channel_id`, its name in the old config, is read too).',
    ),
    limit: z
      .number()
      .int()
      .min(1)
      .max(100)
      .default(50)
      .describe(
        'Newest posts to collect; the preview shows about 20 a page, so older pages are read until this many are found.',
      ),
    include_media: z
      .boolean()
      .default(true)
      .describe('Keep the addresses of the photos, videos, voice notes and files of each post with its item.'),
    base_url: httpUrl
      .default('https://t.me')
      .describe('Where the web preview is served; items always link to `https://t.me/<channel>/<post>`.'),
    ...fetchPolicyFields,
  })
  .strict();

/** The old config called the field `channel_id`; a config that still does is read as `channel`. */
function renameChannelId(value: unknown): unknown {
  if (
    typeof value !== 'object' ||
    value === null ||
    Array.isArray(value) ||
    !('channel_id' in value) ||
    'channel' in value
  )
    return value;
  const { channel_id: channel, ...rest } = value as Record<string, unknown>;
  return { ...rest, channel };
}

export const telegramChannelConfigSchema = z.preprocess(renameChannelId, telegramChannelFields);

export type TelegramChannelConfig = z.output<typeof telegramChannelConfigSchema>;

const example: z.input<typeof telegramChannelFields> = {
  channel: 'https://t.me/s/telegram',
  limit: 40,
  include_media: true,
};

export const telegramChannelTask = defineTask({
  type: 'telegram_channel',
  title: 'Telegram channel',
  description:
    'Reads the newest posts of a public Telegram channel from its web preview (`t.me/s/<channel>`), without an account or a bot: text, time, forwarded-from name and media addresses, one item per post at `https://t.me/<channel>/<post>`. Channels without a username or with the preview turned off cannot be read.',
  produces: 'links',
  configSchema: telegramChannelConfigSchema,
  example,
  activity: {
    startToCloseTimeout: '3 minutes',
    heartbeatTimeout: '10 seconds',
    scheduleToCloseTimeout: '15 minutes',
    retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '2 minutes', maximumAttempts: 5 },
  },
});

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BotApiError, TelegramBotApi } from '../../activities/telegram/bot-api.js';
import {
  docMessage,
  publicationMessage,
  TELEGRAM_MESSAGE_LIMIT,
  templatedDocMessage,
  visibleLength,
} from '../../activities/telegram/publication-message.js';
import { telegramPublishConfigSchema } from '../../schemas/tasks/telegram-publish.js';
import { botTokenVariable } from '../../schemas/telegram-target.js';
import { toFieldIssues } from '../../schemas/validation.js';
import { ConfigError, loadConfig, telegramSettings } from '../../src/config.js';
import { readFixtureText } from '../helpers/fixtures.js';

const TOKEN = '123456789:AAH-unit-test-token-kept-secret_zz';

const issuesOf = (config: unknown) => {
  const parsed = telegramPublishConfigSchema.safeParse(config);
  return parsed.success ? [] : toFieldIssues(parsed.error, 'config');
};

describe('telegram_publish config', () => {
  it('accepts a -100 channel id or a public @username and fills the defaults', () => {
    expect(telegramPublishConfigSchema.parse({ channel_id: ' -1001234567890 ', sources: ['src_a'] })).toEqual({
      channel_id: '-1001234567890',
      sources: ['src_a'],
      bot: 'default',
      batch_size: 10,
      time_window_minutes: 60,
      excerpt_length: 250,
      delay_between_messages: 3,
      disable_link_preview: false,
    });
    expect(telegramPublishConfigSchema.parse({ channel_id: '@harbour_digest', sources: ['src_a'] }).channel_id).toBe(
      '@harbour_digest',
    );
  });

  it('writes a username in one case, so one channel has one publication key', () => {
    expect(telegramPublishConfigSchema.parse({ channel_id: '@Harbour_Digest', sources: ['src_a'] }).channel_id).toBe(
      '@harbour_digest',
    );
  });

  it('names every bad field', () => {
    const issues = issuesOf({ channel_id: '12345', sources: [], batch_size: 51, excerpt_length: 5, bot: 'Main Bot' });
    expect(issues.map((issue) => issue.path).sort()).toEqual([
      'config.batch_size',
      'config.bot',
      'config.channel_id',
      'config.excerpt_length',
      'config.sources',
    ]);
    expect(issues.find((issue) => issue.path === 'config.channel_id')?.message).toContain('-100');
  });

  it('refuses a stored bot token and says where a token goes instead', () => {
    const issues = issuesOf({ channel_id: '@harbour_digest', sources: ['src_a'], bot_token: TOKEN });
    expect(issues).toHaveLength(1);
    expect(issues[0]?.path).toBe('config.bot_token');
    expect(issues[0]?.message).toContain('TELEGRAM_BOT_TOKEN');
    expect(issues[0]?.message).not.toContain(TOKEN);
  });

  it('reads the default bot from TELEGRAM_BOT_TOKEN and a named one from TELEGRAM_BOT_TOKEN_<NAME>', () => {
    expect(botTokenVariable('default')).toBe('TELEGRAM_BOT_TOKEN');
    expect(botTokenVariable('newsroom_2')).toBe('TELEGRAM_BOT_TOKEN_NEWSROOM_2');
  });
});

describe('bot tokens in the environment', () => {
  it('collects every TELEGRAM_BOT_TOKEN variable and nothing else', () => {
    const config = loadConfig({
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_BOT_TOKEN_NEWSROOM: `  ${TOKEN}  `,
      TELEGRAM_BOT_TOKEN_EMPTY: '',
      TELEGRAM_CHAT: 'x',
    });
    expect(telegramSettings(config).botTokens).toEqual({
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_BOT_TOKEN_NEWSROOM: TOKEN,
    });
    expect(telegramSettings(config).apiBaseUrl).toBe('https://api.telegram.org');
  });

  it('stops the start on a malformed token, naming the variable and never the value', () => {
    const secret = 'not-a-token-but-still-secret';
    let error: unknown;
    try {
      loadConfig({ TELEGRAM_BOT_TOKEN_NEWSROOM: secret });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain('TELEGRAM_BOT_TOKEN_NEWSROOM');
    expect((error as Error).message).not.toContain(secret);
  });
});

describe('publicationMessage', () => {
  const item = {
    url: 'https://news.example.test/a?x=1&y=2',
    title: 'Ferries <cancelled> & "delayed"',
    summary: 'Storm   over\nthe bay.',
    text: null,
  };

  it('puts the escaped title in bold, the excerpt, then the link', () => {
    expect(publicationMessage(item, 250)).toBe(
      '<b>Ferries &lt;cancelled&gt; &amp; &quot;delayed&quot;</b>\n\nStorm over the bay.\n\nhttps://news.example.test/a?x=1&amp;y=2',
    );
  });

  it('leaves the excerpt out at length 0, and uses the URL when there is no title', () => {
    expect(publicationMessage({ ...item, title: null }, 0)).toBe(
      '<b>https://news.example.test/a?x=1&amp;y=2</b>\n\nhttps://news.example.test/a?x=1&amp;y=2',
    );
  });

  it('does not repeat a title the text begins with (a channel post) and cuts at a word', () => {
    const post = {
      url: 'https://t.me/harbour/1',
      title: 'Sunrise over the harbour',
      summary: null,
      text: `Sunrise over the harbour. ${'Boats leaving early today '.repeat(20)}`,
    };
    const [, excerpt] = publicationMessage(post, 60).split('\n\n');
    expect(excerpt).toBe('Boats leaving early today Boats leaving early today Boats…');
  });

  it("stays inside Telegram's limit whatever the excerpt length and link", () => {
    const huge = {
      url: `https://news.example.test/${'p'.repeat(1500)}`,
      title: 't'.repeat(400),
      summary: 'word '.repeat(2000),
      text: null,
    };
    const visible = publicationMessage(huge, 3000).replace(/<\/?b>/g, '');
    expect(Array.from(visible).length).toBeLessThanOrEqual(TELEGRAM_MESSAGE_LIMIT);
  });
});

describe('docMessage', () => {
  it('keeps the whole text when it fits, with the link and the Google Doc only when asked', () => {
    const doc = {
      title: 'Storm <warning>',
      text: 'Line one.\n\nLine two & more.',
      url: 'https://news.example.test/s',
      googleDocUrl: 'https://docs.google.com/document/d/x/edit',
    };
    expect(docMessage(doc, true)).toBe(
      '<b>Storm &lt;warning&gt;</b>\n\nLine one.\n\nLine two &amp; more.\n\nhttps://news.example.test/s\n\nGoogle Doc: https://docs.google.com/document/d/x/edit',
    );
    expect(docMessage({ ...doc, url: null }, false)).toBe(
      '<b>Storm &lt;warning&gt;</b>\n\nLine one.\n\nLine two &amp; more.',
    );
  });

  it('shortens a text too long for one message', () => {
    const doc = { title: 'Long', text: 'word '.repeat(2000), url: 'https://news.example.test/l', googleDocUrl: null };
    const visible = docMessage(doc, false).replace(/<\/?b>/g, '');
    expect(Array.from(visible).length).toBeLessThanOrEqual(TELEGRAM_MESSAGE_LIMIT);
    expect(visible.endsWith('…\n\nhttps://news.example.test/l')).toBe(true);
  });
});

describe('templatedDocMessage', () => {
  it('shares the room between every {text} so the message fits', () => {
    const doc = {
      title: 'Long',
      text: 'word '.repeat(3000),
      url: null,
      googleDocUrl: 'https://docs.google.com/document/d/x/edit',
    };
    for (const template of ['<b>{title}</b>\n{text}\n{google_doc_link}', '{text}\n---\n{text}']) {
      expect(visibleLength(templatedDocMessage(template, doc))).toBeLessThanOrEqual(TELEGRAM_MESSAGE_LIMIT);
    }
    expect(templatedDocMessage('<b>{title}</b> {url}', { ...doc, title: 'A & B' })).toBe('<b>A &amp; B</b> ');
  });
});

describe('TelegramBotApi', () => {
  let server: Server;
  let answer: { status: number; body: string } | 'hang' | 'reset' = { status: 200, body: '{}' };
  let api: TelegramBotApi;

  beforeAll(async () => {
    server = createServer((request, response) => {
      request.resume();
      if (answer === 'hang') return;
      if (answer === 'reset') {
        request.socket.destroy();
        return;
      }
      response.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    api = new TelegramBotApi({
      apiBaseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      botTokens: { TELEGRAM_BOT_TOKEN: TOKEN },
      timeoutMs: 500,
    });
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const send = () => api.sendMessage(TOKEN, { chatId: '@c_channel', html: '<b>x</b>', disableLinkPreview: false });
  const failureOf = async (): Promise<BotApiError> => {
    const error: unknown = await send().then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(BotApiError);
    expect((error as Error).message).not.toContain(TOKEN);
    return error as BotApiError;
  };
  const fixture = (status: number, name: string) => ({ status, body: readFixtureText(`telegram-bot-api/${name}`) });

  it('gives back the message id of an accepted message', async () => {
    answer = { status: 200, body: JSON.stringify({ ok: true, result: { message_id: 77 } }) };
    await expect(send()).resolves.toBe('77');
  });

  it.each([
    ['a 429 is not sent, with its retry_after', fixture(429, 'too-many-requests.json'), 'not-sent', 1000],
    ['a 502 may have been posted behind the gateway', fixture(502, 'bad-gateway.json'), 'unknown', undefined],
    ['"chat not found" concerns the chat', fixture(400, 'chat-not-found.json'), 'chat', undefined],
    ['a too long message is refused alone', fixture(400, 'message-too-long.json'), 'refused', undefined],
    ['401 means the token', fixture(401, 'unauthorized.json'), 'unauthorized', undefined],
  ] as const)('%s', async (_, scripted, kind, retryAfterMs) => {
    answer = scripted;
    const failure = await failureOf();
    expect(failure.kind).toBe(kind);
    expect(failure.retryAfterMs).toBe(retryAfterMs);
  });

  it('cannot tell whether a message whose answer never came was posted', async () => {
    answer = 'hang';
    expect((await failureOf()).kind).toBe('unknown');
    answer = 'reset';
    expect((await failureOf()).kind).toBe('unknown');
  });

  it('knows nothing was sent when the connection is refused', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const closed = new TelegramBotApi({ apiBaseUrl: `http://127.0.0.1:${port}`, botTokens: {}, timeoutMs: 500 });
    const error = await closed.sendMessage(TOKEN, { chatId: '@c_channel', html: 'x', disableLinkPreview: false }).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toMatchObject({ kind: 'not-sent' });
  });
});

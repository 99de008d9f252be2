import { Agent, fetch } from 'undici';

/** How a worker reaches the Telegram Bot API. Tokens are read from its environment, never from a stream. */
export interface TelegramSettings {
  /** @default https://api.telegram.org — tests point it at a local fake. */
  apiBaseUrl: string;
  /** Token by environment variable name (TELEGRAM_BOT_TOKEN, TELEGRAM_BOT_TOKEN_<NAME>). */
  botTokens: Readonly<Record<string, string>>;
  /** One sendMessage call, from connect to answer. */
  timeoutMs: number;
  connectTimeoutMs?: number;
}

/**
 * What a failed call means for the message and for the run:
 * - `refused`: Telegram rejected this message (bad markup, too long); the next one may pass.
 * - `chat`: the channel cannot be posted to (not found, bot not an admin, blocked): no message will pass.
 * - `unauthorized`: the token is wrong or revoked.
 * - `not-sent`: nothing reached Telegram, or it answered "try later" (429, connection refused).
 * - `unknown`: the request may have been delivered but its answer was lost (timeout, reset mid-way, 5xx).
 */
export type BotApiFailureKind = 'refused' | 'chat' | 'unauthorized' | 'not-sent' | 'unknown';

export class BotApiError extends Error {
  override readonly name = 'BotApiError';
  constructor(
    readonly kind: BotApiFailureKind,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

export interface SendMessageRequest {
  chatId: string;
  html: string;
  disableLinkPreview: boolean;
}

interface BotApiAnswer {
  ok?: boolean;
  description?: string;
  error_code?: number;
  result?: { message_id?: number };
  parameters?: { retry_after?: number };
}

// Failures raised before a byte of the request could reach the server.
const CONNECT_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** Telegram's 400 descriptions that concern the chat, not the message. */
const CHAT_PROBLEM =
  /chat not found|chat_id is empty|not enough rights|need administrator rights|CHAT_[A-Z_]+|PEER_ID_INVALID|bot is not a member/i;

/**
 * The one Bot API method NewLoom calls. Its errors never contain the token: the URL it is part of is
 * named by method only.
 */
export class TelegramBotApi {
  private readonly dispatcher: Agent;

  constructor(private readonly settings: TelegramSettings) {
    this.dispatcher = new Agent({ connect: { timeout: settings.connectTimeoutMs ?? 10_000 } });
  }

  /** Longest one send may take. */
  get sendTimeoutMs(): number {
    return this.settings.timeoutMs;
  }

  /** The token for a bot variable, or undefined when the worker has none. */
  token(variable: string): string | undefined {
    return this.settings.botTokens[variable];
  }

  /** Sends one message and gives back its message id. Not aborted by cancellation: its outcome must be known. */
  async sendMessage(token: string, request: SendMessageRequest): Promise<string> {
    const url = `${this.settings.apiBaseUrl.replace(/\/+$/, '')}/bot${token}/sendMessage`;
    let status: number;
    let answer: BotApiAnswer;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          chat_id: request.chatId,
          text: request.html,
          parse_mode: 'HTML',
          link_preview_options: { is_disabled: request.disableLinkPreview },
        }),
        signal: AbortSignal.timeout(this.settings.timeoutMs),
        dispatcher: this.dispatcher,
      });
      status = response.status;
      answer = (await response.json().catch(() => ({}))) as BotApiAnswer;
    } catch (error) {
      const failure = networkFailure(error, this.settings.timeoutMs);
      // Belt and braces: no library message should hold the URL, but if one does the token stays out of it.
      throw new BotApiError(failure.kind, failure.message.replaceAll(token, '<token>'), failure.retryAfterMs);
    }
    if (status === 200 && answer.ok && answer.result?.message_id !== undefined) return String(answer.result.message_id);
    throw answerFailure(status, answer);
  }
}

function answerFailure(status: number, answer: BotApiAnswer): BotApiError {
  const description = answer.description ?? `HTTP ${status}`;
  const said = `Telegram answered sendMessage with ${status}: ${description}`;
  if (status === 429) {
    const seconds = answer.parameters?.retry_after;
    return new BotApiError('not-sent', said, typeof seconds === 'number' && seconds >= 0 ? seconds * 1000 : undefined);
  }
  // A gateway error may come after Telegram posted the message: its outcome is unknown, never re-sent.
  if (status >= 500) return new BotApiError('unknown', `${said}; the message may or may not have been posted`);
  // Telegram answers 404 to a token it cannot even parse.
  if (status === 401 || status === 404) return new BotApiError('unauthorized', `${said} (check the bot's token)`);
  if (status === 403)
    return new BotApiError('chat', `${said} (make the bot an administrator of the channel allowed to post)`);
  if (status === 400 && CHAT_PROBLEM.test(description)) return new BotApiError('chat', said);
  if (status === 200)
    return new BotApiError('unknown', `Telegram answered sendMessage without a message id: ${description}`);
  return new BotApiError('refused', said);
}

function networkFailure(error: unknown, timeoutMs: number): BotApiError {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return new BotApiError(
      'unknown',
      `sendMessage got no answer within ${timeoutMs} ms; the message may or may not have been posted`,
    );
  }
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : undefined;
  const code = (cause as { code?: unknown } | undefined)?.code;
  const reason = cause?.message ?? (error instanceof Error ? error.message : String(error));
  if (typeof code === 'string' && CONNECT_ERROR_CODES.has(code))
    return new BotApiError('not-sent', `could not reach the Bot API: ${reason}`);
  return new BotApiError(
    'unknown',
    `sendMessage failed mid-way (${reason}); the message may or may not have been posted`,
  );
}

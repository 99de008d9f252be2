import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFixtureText } from './fixtures.js';

export interface SentMessage {
  token: string;
  method: string;
  chatId: string;
  text: string;
  parseMode: string | undefined;
  linkPreviewDisabled: boolean | undefined;
  at: number;
  /** The message id answered, when the call succeeded. */
  messageId?: number;
}

/** A scripted answer for the next call: success, an error body from test/fixtures/telegram-bot-api, or no answer at all. */
export type ScriptedAnswer = { ok: true } | { status: number; fixture: string } | { hold: true };

/**
 * A stand-in for api.telegram.org on 127.0.0.1: it accepts sendMessage for the tokens it knows,
 * answers each call with the next scripted answer (or success with a fresh message id), and records
 * every call as it arrived, so tests assert on what really reached "Telegram".
 */
export class FakeBotApi {
  readonly calls: SentMessage[] = [];
  private readonly script: ScriptedAnswer[] = [];
  private nextMessageId = 100;
  private readonly server: Server;

  private constructor(private readonly tokens: ReadonlySet<string>) {
    this.server = createServer((request, response) => {
      void this.handle(request, response);
    });
  }

  static async start(tokens: string[]): Promise<FakeBotApi> {
    const api = new FakeBotApi(new Set(tokens));
    await new Promise<void>((resolve) => api.server.listen(0, '127.0.0.1', resolve));
    return api;
  }

  get origin(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Answers for the next calls, in order; calls after them succeed. */
  answerNext(...answers: ScriptedAnswer[]): void {
    this.script.push(...answers);
  }

  /** Successful sends, in order. */
  get delivered(): SentMessage[] {
    return this.calls.filter((call) => call.messageId !== undefined);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const match = /^\/bot([^/]+)\/(\w+)$/.exec(request.url ?? '');
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
    const call: SentMessage = {
      token: match?.[1] ?? '',
      method: match?.[2] ?? '',
      chatId: typeof body.chat_id === 'string' || typeof body.chat_id === 'number' ? String(body.chat_id) : '',
      text: typeof body.text === 'string' ? body.text : '',
      parseMode: typeof body.parse_mode === 'string' ? body.parse_mode : undefined,
      linkPreviewDisabled: (body.link_preview_options as { is_disabled?: boolean } | undefined)?.is_disabled,
      at: Date.now(),
    };
    this.calls.push(call);
    const json = (status: number, payload: string) => {
      response.writeHead(status, { 'content-type': 'application/json' }).end(payload);
    };
    if (!match || !this.tokens.has(call.token)) {
      json(401, readFixtureText('telegram-bot-api/unauthorized.json'));
      return;
    }
    const scripted = this.script.shift();
    if (scripted && 'hold' in scripted) return; // the message "arrives", its answer never does
    if (scripted && 'status' in scripted) {
      json(scripted.status, readFixtureText(`telegram-bot-api/${scripted.fixture}`));
      return;
    }
    call.messageId = this.nextMessageId++;
    json(
      200,
      JSON.stringify({
        ok: true,
        result: {
          message_id: call.messageId,
          chat: { id: call.chatId },
          date: Math.floor(call.at / 1000),
          text: call.text,
        },
      }),
    );
  }
}

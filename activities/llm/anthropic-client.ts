import { Agent, fetch } from 'undici';
import { z } from 'zod';
import { FailureType } from '../../schemas/failure-types.js';
import type { GeneratedDoc } from '../../schemas/docs.js';
import { permanentFailure, transientFailure } from '../failures.js';
import { classifyStatus } from '../http/classify-status.js';
import { parseRetryAfter } from '../http/retry-after.js';

/** How a worker reaches the model. The key is read from its environment, never from a stream. */
export interface LlmSettings {
  /** @default https://api.anthropic.com — tests point it at a local fake. */
  apiBaseUrl: string;
  apiKey: string | undefined;
  /** One call, from connect to the whole answer. */
  timeoutMs: number;
  connectTimeoutMs?: number;
}

export interface WriteDocsRequest {
  model: string;
  system: string;
  user: string;
  maxTokens: number;
  temperature: number;
  maxDocs: number;
}

const TOOL_NAME = 'create_documents';
const API_VERSION = '2023-06-01';

/** What the model must answer with; its output is checked like any other untrusted input. */
const toolInputSchema = z.object({
  documents: z
    .array(
      z.object({
        title: z.string().trim().min(1).max(500),
        text: z.string().trim().min(1).max(100_000),
        url: z.url({ protocol: /^https?$/ }).nullish(),
      }),
    )
    .max(50),
});

const messageSchema = z.object({
  stop_reason: z.string().nullish(),
  content: z.array(z.object({ type: z.string(), name: z.string().optional(), input: z.unknown().optional() }).loose()),
});

/**
 * Anthropic's Messages API, asked to answer only through a `create_documents` tool so the documents
 * come back as data, not prose to be parsed. Errors are typed like the fetch layer's: 429, 5xx and
 * 529 (overloaded) are retried (after retry-after when given), a bad key, model or request is not.
 */
export class AnthropicClient {
  private readonly dispatcher: Agent;

  constructor(private readonly settings: LlmSettings) {
    this.dispatcher = new Agent({ connect: { timeout: settings.connectTimeoutMs ?? 10_000 } });
  }

  get configured(): boolean {
    return Boolean(this.settings.apiKey);
  }

  async writeDocs(request: WriteDocsRequest, signal: AbortSignal): Promise<GeneratedDoc[]> {
    const url = `${this.settings.apiBaseUrl.replace(/\/+$/, '')}/v1/messages`;
    const body = {
      model: request.model,
      max_tokens: request.maxTokens,
      temperature: request.temperature,
      system: request.system,
      messages: [{ role: 'user', content: request.user }],
      tools: [
        {
          name: TOOL_NAME,
          description: `Save the documents written from the news (at most ${request.maxDocs}). Each has a short title, the full text, and the URL of its main source when there is one.`,
          input_schema: {
            type: 'object',
            properties: {
              documents: {
                type: 'array',
                maxItems: request.maxDocs,
                items: {
                  type: 'object',
                  properties: {
                    title: { type: 'string' },
                    text: { type: 'string' },
                    url: { type: 'string', description: 'the main source link' },
                  },
                  required: ['title', 'text'],
                },
              },
            },
            required: ['documents'],
          },
        },
      ],
      tool_choice: { type: 'tool', name: TOOL_NAME },
    };
    let response: Awaited<ReturnType<typeof fetch>>;
    let answer: unknown;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-api-key': this.settings.apiKey ?? '',
          'anthropic-version': API_VERSION,
        },
        body: JSON.stringify(body),
        signal: AbortSignal.any([signal, AbortSignal.timeout(this.settings.timeoutMs)]),
        dispatcher: this.dispatcher,
      });
      answer = await response.json().catch(() => null);
      // A cancel that lands while the answer is read is a cancel, not a malformed answer.
      if (signal.aborted) throw signal.reason;
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      const reason = error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
      throw transientFailure(
        FailureType.Network,
        timedOut
          ? `the model gave no answer within ${this.settings.timeoutMs} ms`
          : `could not reach the model's API: ${reason}`,
      );
    }
    if (response.status !== 200) throw statusFailure(response.status, answer, response.headers.get('retry-after'));

    const message = messageSchema.safeParse(answer);
    if (!message.success)
      throw transientFailure(FailureType.ModelOutput, "the model's API answered with a body that is not a message");
    const call = message.data.content.find((block) => block.type === 'tool_use' && block.name === TOOL_NAME);
    if (!call)
      throw transientFailure(
        FailureType.ModelOutput,
        `the model answered without calling ${TOOL_NAME} (stop reason ${message.data.stop_reason ?? 'unknown'})`,
      );
    const input = toolInputSchema.safeParse(call.input);
    if (!input.success) {
      const truncated =
        message.data.stop_reason === 'max_tokens' ? ' (the answer hit max_tokens: raise it or ask for fewer docs)' : '';
      throw transientFailure(
        FailureType.ModelOutput,
        `the model's documents are not valid: ${input.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}${truncated}`,
      );
    }
    return input.data.documents
      .slice(0, request.maxDocs)
      .map((doc) => ({ title: doc.title, text: doc.text, url: doc.url ?? null }));
  }
}

function statusFailure(status: number, answer: unknown, retryAfter: string | null) {
  const detail = (answer as { error?: { type?: unknown; message?: unknown } } | null)?.error;
  const said = `the model's API answered ${status}${typeof detail?.message === 'string' ? `: ${detail.message}` : ''}`;
  // 529 is Anthropic's "overloaded": a busy server, not a bad request.
  if (status === 529 || classifyStatus(status) === 'transient') {
    return transientFailure(FailureType.HttpTransient, said, { retryAfterMs: parseRetryAfter(retryAfter) });
  }
  const hint =
    status === 401 || status === 403
      ? " (check the worker's ANTHROPIC_API_KEY)"
      : status === 404
        ? " (check the stream's model)"
        : '';
  return permanentFailure(FailureType.HttpPermanent, `${said}${hint}`);
}

import { randomBytes } from 'node:crypto';
import { Agent, fetch } from 'undici';
import { FailureType } from '../../schemas/failure-types.js';
import { permanentFailure, transientFailure } from '../failures.js';
import { classifyStatus } from '../http/classify-status.js';
import { parseRetryAfter } from '../http/retry-after.js';
import { ServiceAccountAuth, type ServiceAccountSource } from './service-account.js';

export interface GoogleSettings {
  credentials: ServiceAccountSource;
  /** Drive and Docs APIs; one override serves both in tests. @default Google's own hosts */
  apiBaseUrl?: string | undefined;
  timeoutMs: number;
  connectTimeoutMs?: number;
}

/** Only files the app itself created: the narrowest Drive scope that can create and fill documents. */
const DRIVE_FILE_SCOPE = 'https://www.googleapis.com/auth/drive.file';
const GOOGLE_DOC = 'application/vnd.google-apps.document';

/** The Drive file a doc became, found by the doc's id so a retry never creates a second one. */
export interface DriveDocument {
  id: string;
  filled: boolean;
}

export const googleDocUrl = (fileId: string) => `https://docs.google.com/document/d/${fileId}/edit`;

/**
 * The few Drive and Docs calls google_doc_creator makes. Every file it creates carries the NewLoom doc
 * id in its appProperties, which is what makes creating idempotent: before creating, look it up.
 */
export class GoogleDocsClient {
  private readonly dispatcher: Agent;
  private readonly auth: ServiceAccountAuth;

  constructor(private readonly settings: GoogleSettings) {
    this.dispatcher = new Agent({ connect: { timeout: settings.connectTimeoutMs ?? 10_000 } });
    this.auth = new ServiceAccountAuth(settings.credentials, DRIVE_FILE_SCOPE, this.dispatcher, settings.timeoutMs);
  }

  get configured(): boolean {
    return this.auth.configured;
  }

  /** The file made for a doc, looked up in the stream's folder (another NewLoom using the same account has its own docs with the same ids, elsewhere). */
  async findByDocId(docId: number, folderId: string, signal: AbortSignal): Promise<DriveDocument | undefined> {
    const query = `appProperties has { key='newloomDocId' and value='${docId}' } and '${folderId}' in parents and trashed=false`;
    const answer = (await this.call(
      'GET',
      `${this.drive()}/drive/v3/files?${new URLSearchParams({ q: query, fields: 'files(id,appProperties)', supportsAllDrives: 'true', includeItemsFromAllDrives: 'true' }).toString()}`,
      undefined,
      signal,
    )) as {
      files?: Array<{ id: string; appProperties?: Record<string, string> }>;
    };
    const file = answer.files?.[0];
    return file && { id: file.id, filled: file.appProperties?.newloomFilled === 'true' };
  }

  /** One request: Drive converts the uploaded text into a Google Doc, so the file never exists empty. */
  async createWithText(
    input: { docId: number; title: string; text: string; folderId: string },
    signal: AbortSignal,
  ): Promise<string> {
    const boundary = `newloom-${randomBytes(8).toString('hex')}`;
    const metadata = {
      name: input.title,
      mimeType: GOOGLE_DOC,
      parents: [input.folderId],
      appProperties: { newloomDocId: String(input.docId), newloomFilled: 'true' },
    };
    const body = [
      `--${boundary}`,
      'Content-Type: application/json; charset=UTF-8',
      '',
      JSON.stringify(metadata),
      `--${boundary}`,
      'Content-Type: text/plain; charset=UTF-8',
      '',
      input.text,
      `--${boundary}--`,
      '',
    ].join('\r\n');
    return fileId(
      await this.call(
        'POST',
        `${this.drive()}/upload/drive/v3/files?uploadType=multipart&supportsAllDrives=true&fields=id`,
        { body, contentType: `multipart/related; boundary=${boundary}` },
        signal,
      ),
    );
  }

  /** A copy of the template, tagged with the doc's id; its text is added by `fill`. */
  async copyTemplate(
    input: { docId: number; title: string; templateId: string; folderId: string },
    signal: AbortSignal,
  ): Promise<string> {
    const metadata = {
      name: input.title,
      parents: [input.folderId],
      appProperties: { newloomDocId: String(input.docId), newloomFilled: 'false' },
    };
    return fileId(
      await this.call(
        'POST',
        `${this.drive()}/drive/v3/files/${encodeURIComponent(input.templateId)}/copy?supportsAllDrives=true&fields=id`,
        { json: metadata },
        signal,
      ),
    );
  }

  /**
   * Puts the text at the start of a copied template, unless an attempt whose answer was lost already
   * did (the document is read first), then records on the file that it is filled.
   */
  async fill(file: string, text: string, signal: AbortSignal): Promise<void> {
    const document = (await this.call(
      'GET',
      `${this.docs()}/v1/documents/${encodeURIComponent(file)}`,
      undefined,
      signal,
    )) as GoogleDocument;
    if (!documentText(document).includes(text.slice(0, 200))) {
      await this.call(
        'POST',
        `${this.docs()}/v1/documents/${encodeURIComponent(file)}:batchUpdate`,
        { json: { requests: [{ insertText: { location: { index: 1 }, text } }] } },
        signal,
      );
    }
    await this.call(
      'PATCH',
      `${this.drive()}/drive/v3/files/${encodeURIComponent(file)}?supportsAllDrives=true`,
      { json: { appProperties: { newloomFilled: 'true' } } },
      signal,
    );
  }

  private drive(): string {
    return this.settings.apiBaseUrl ?? 'https://www.googleapis.com';
  }

  private docs(): string {
    return this.settings.apiBaseUrl ?? 'https://docs.googleapis.com';
  }

  private async call(
    method: string,
    url: string,
    payload: { json: unknown } | { body: string; contentType: string } | undefined,
    signal: AbortSignal,
  ): Promise<unknown> {
    const token = await this.auth.accessToken(signal);
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    let body: string | undefined;
    if (payload && 'json' in payload) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(payload.json);
    } else if (payload) {
      headers['content-type'] = payload.contentType;
      body = payload.body;
    }
    const what = `${method} ${new URL(url).pathname}`;
    let response: Awaited<ReturnType<typeof fetch>>;
    try {
      response = await fetch(url, {
        method,
        headers,
        body,
        signal: AbortSignal.any([signal, AbortSignal.timeout(this.settings.timeoutMs)]),
        dispatcher: this.dispatcher,
      });
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      throw transientFailure(
        FailureType.Network,
        `${what} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    const answer: unknown = await response.json().catch(() => undefined);
    if (signal.aborted) throw signal.reason;
    if (response.ok) {
      // A cut-off answer must not read as "no such file": that would create a second one.
      if (answer === undefined)
        throw transientFailure(FailureType.Network, `${what} answered ${response.status} with a body that is not JSON`);
      return answer;
    }
    // Google's gateways answer errors with HTML pages, which have no JSON to read.
    const said = (answer as { error?: { message?: unknown } } | undefined)?.error?.message;
    const message = `${what} answered ${response.status}${typeof said === 'string' ? `: ${said}` : ''}`;
    if (classifyStatus(response.status) === 'transient')
      throw transientFailure(FailureType.HttpTransient, message, {
        retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
      });
    const hint =
      response.status === 403 || response.status === 404
        ? ` (share the folder, and the template if any, with ${await this.auth.clientEmail()} as an editor)`
        : '';
    throw permanentFailure(FailureType.HttpPermanent, `${message}${hint}`);
  }
}

interface GoogleDocument {
  body?: { content?: Array<{ paragraph?: { elements?: Array<{ textRun?: { content?: string } }> } }> };
}

/** The document's plain text, paragraph by paragraph, as the Docs API returns it. */
function documentText(document: GoogleDocument): string {
  return (document.body?.content ?? [])
    .flatMap((block) => block.paragraph?.elements ?? [])
    .map((element) => element.textRun?.content ?? '')
    .join('');
}

function fileId(answer: unknown): string {
  const id = (answer as { id?: unknown }).id;
  if (typeof id !== 'string' || id === '')
    throw transientFailure(FailureType.Network, "Drive answered without the file's id");
  return id;
}

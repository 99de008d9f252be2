import { createSign } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fetch, type Agent } from 'undici';
import { z } from 'zod';
import { FailureType } from '../../schemas/failure-types.js';
import { permanentFailure, transientFailure } from '../failures.js';

/** The fields of a Google service account key file (JSON) that signing in needs. */
const serviceAccountKeySchema = z.object({
  type: z.literal('service_account'),
  client_email: z.string().min(1),
  private_key: z.string().includes('PRIVATE KEY'),
  token_uri: z.url().default('https://oauth2.googleapis.com/token'),
});

export type ServiceAccountKey = z.output<typeof serviceAccountKeySchema>;

/** Where the key comes from: its JSON in an environment variable, or a file (a mounted secret). */
export interface ServiceAccountSource {
  json?: string | undefined;
  file?: string | undefined;
}

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/**
 * Signs in as a service account (OAuth 2.0 JWT bearer grant) and keeps the access token until shortly
 * before it expires. The key is read when first needed, so a worker without Google settings starts fine
 * and only google_doc_creator runs fail, with a message saying what to set.
 */
export class ServiceAccountAuth {
  private key: ServiceAccountKey | undefined;
  private token: { value: string; expiresAt: number } | undefined;

  constructor(
    private readonly source: ServiceAccountSource,
    private readonly scope: string,
    private readonly dispatcher: Agent,
    private readonly timeoutMs: number,
  ) {}

  get configured(): boolean {
    return Boolean(this.source.json || this.source.file);
  }

  /** The service account's address: the one a Drive folder must be shared with. */
  async clientEmail(): Promise<string> {
    return (await this.loadKey()).client_email;
  }

  async accessToken(signal: AbortSignal): Promise<string> {
    if (this.token && this.token.expiresAt > Date.now() + 60_000) return this.token.value;
    const key = await this.loadKey();
    const now = Math.floor(Date.now() / 1000);
    const unsigned = `${base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }))}.${base64url(JSON.stringify({ iss: key.client_email, scope: this.scope, aud: key.token_uri, iat: now, exp: now + 3600 }))}`;
    const signature = createSign('RSA-SHA256').update(unsigned).sign(key.private_key, 'base64url');
    let response: Awaited<ReturnType<typeof fetch>>;
    try {
      response = await fetch(key.token_uri, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
          assertion: `${unsigned}.${signature}`,
        }).toString(),
        signal: AbortSignal.any([signal, AbortSignal.timeout(this.timeoutMs)]),
        dispatcher: this.dispatcher,
      });
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      throw transientFailure(
        FailureType.Network,
        `could not reach Google's sign-in (${key.token_uri}): ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    const answer = (await response.json().catch(() => ({}))) as {
      access_token?: unknown;
      expires_in?: unknown;
      error?: unknown;
      error_description?: unknown;
    };
    if (response.status >= 500 || response.status === 429)
      throw transientFailure(FailureType.HttpTransient, `Google's sign-in answered ${response.status}`);
    if (response.status !== 200 || typeof answer.access_token !== 'string') {
      const said =
        typeof answer.error_description === 'string'
          ? answer.error_description
          : typeof answer.error === 'string'
            ? answer.error
            : `HTTP ${response.status}`;
      throw permanentFailure(
        FailureType.HttpPermanent,
        `Google refused the service account ${key.client_email}: ${said} (check the key in GOOGLE_APPLICATION_CREDENTIALS or GOOGLE_SERVICE_ACCOUNT_JSON)`,
      );
    }
    const lifetime = typeof answer.expires_in === 'number' ? answer.expires_in : 3600;
    this.token = { value: answer.access_token, expiresAt: Date.now() + lifetime * 1000 };
    return this.token.value;
  }

  private async loadKey(): Promise<ServiceAccountKey> {
    if (this.key) return this.key;
    if (!this.configured) {
      throw permanentFailure(
        FailureType.Configuration,
        "no Google service account: set GOOGLE_APPLICATION_CREDENTIALS (a key file) or GOOGLE_SERVICE_ACCOUNT_JSON in the worker's environment and restart it",
      );
    }
    let text: string;
    try {
      text = this.source.json ?? (await readFile(this.source.file as string, 'utf8'));
    } catch (error) {
      throw permanentFailure(
        FailureType.Configuration,
        `cannot read the Google service account key file ${this.source.file}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw permanentFailure(FailureType.Configuration, 'the Google service account key is not JSON');
    }
    const key = serviceAccountKeySchema.safeParse(parsed);
    if (!key.success)
      throw permanentFailure(
        FailureType.Configuration,
        `the Google service account key lacks ${key.error.issues.map((issue) => issue.path.join('.')).join(', ')}`,
      );
    this.key = key.data;
    return key.data;
  }
}

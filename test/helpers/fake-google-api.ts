import { createVerify, generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface DriveFile {
  id: string;
  name: string;
  mimeType: string;
  parents: string[];
  appProperties: Record<string, string>;
  text: string;
}

export interface GoogleCall {
  method: string;
  path: string;
  at: number;
}

/**
 * A stand-in for Google's sign-in, Drive and Docs on 127.0.0.1, with a service account of its own: the
 * key it hands out is freshly generated, and sign-in checks the JWT's RS256 signature, issuer, audience
 * and scope, so the client's signing is tested for real. Files live in memory; the calls are recorded.
 */
export class FakeGoogleApi {
  readonly calls: GoogleCall[] = [];
  readonly files = new Map<string, DriveFile>();
  readonly clientEmail = 'newloom-writer@newloom-test.iam.gserviceaccount.com';
  /** Status answered by the next call whose path (or "METHOD path") starts with the prefix, once; `afterApplying` does the call first (its answer is lost). */
  private readonly failures: Array<{ pathPrefix: string; status: number; afterApplying: boolean; passFirst: number }> =
    [];
  /** Drive's search is eventually consistent: a file shows in `files.list` only this long after it was made. */
  searchLagMs = 0;
  private readonly madeAt = new Map<string, number>();
  private readonly keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  private readonly accessToken = `ya29.${randomBytes(12).toString('hex')}`;
  private readonly server: Server;

  private constructor() {
    this.server = createServer((request, response) => {
      void this.handle(request, response);
    });
  }

  static async start(): Promise<FakeGoogleApi> {
    const api = new FakeGoogleApi();
    await new Promise<void>((resolve) => api.server.listen(0, '127.0.0.1', resolve));
    return api;
  }

  get origin(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** A service account key file's JSON, as the Cloud console downloads it, for this fake. */
  serviceAccountJson(): string {
    return JSON.stringify({
      type: 'service_account',
      project_id: 'newloom-test',
      private_key_id: 'test-key',
      private_key: this.keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      client_email: this.clientEmail,
      token_uri: `${this.origin}/token`,
    });
  }

  /** `passFirst`: that many matching calls are answered normally before the failing one. */
  failNext(pathPrefix: string, status: number, options: { afterApplying?: boolean; passFirst?: number } = {}): void {
    this.failures.push({
      pathPrefix,
      status,
      afterApplying: options.afterApplying ?? false,
      passFirst: options.passFirst ?? 0,
    });
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.origin);
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    this.calls.push({ method: request.method ?? '', path: url.pathname, at: Date.now() });
    const index = this.failures.findIndex(
      (candidate) =>
        url.pathname.startsWith(candidate.pathPrefix) ||
        `${request.method} ${url.pathname}`.startsWith(candidate.pathPrefix),
    );
    const matched = index >= 0 ? this.failures[index] : undefined;
    let failure: (typeof this.failures)[number] | undefined;
    if (matched && matched.passFirst > 0) matched.passFirst -= 1;
    else if (matched) failure = this.failures.splice(index, 1)[0];
    const failed = failure && {
      error: { code: failure.status, message: failure.status === 404 ? 'File not found: folder.' : 'Backend Error' },
    };
    const json = (status: number, payload: unknown) => {
      const [answerStatus, answer] = failure?.afterApplying ? [failure.status, failed] : [status, payload];
      response.writeHead(answerStatus, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    };
    if (failure && !failure.afterApplying) {
      json(failure.status, failed);
      return;
    }

    if (url.pathname === '/token') {
      const problem = this.checkAssertion(new URLSearchParams(body));
      if (problem) json(400, { error: 'invalid_grant', error_description: problem });
      else json(200, { access_token: this.accessToken, expires_in: 3599, token_type: 'Bearer' });
      return;
    }
    if (request.headers.authorization !== `Bearer ${this.accessToken}`) {
      json(401, { error: { code: 401, message: 'Request had invalid authentication credentials.' } });
      return;
    }

    const copy = /^\/drive\/v3\/files\/([^/]+)\/copy$/.exec(url.pathname);
    const file = /^\/drive\/v3\/files\/([^/]+)$/.exec(url.pathname);
    const batchUpdate = /^\/v1\/documents\/([^/:]+):batchUpdate$/.exec(url.pathname);
    const document = /^\/v1\/documents\/([^/:]+)$/.exec(url.pathname);
    if (request.method === 'GET' && url.pathname === '/drive/v3/files') {
      const query = url.searchParams.get('q') ?? '';
      const docId = /key='newloomDocId' and value='(\d+)'/.exec(query)?.[1];
      const folder = /'([^']+)' in parents/.exec(query)?.[1];
      const found = [...this.files.values()].filter(
        (candidate) =>
          candidate.appProperties.newloomDocId === docId &&
          (!folder || candidate.parents.includes(folder)) &&
          Date.now() - (this.madeAt.get(candidate.id) ?? 0) >= this.searchLagMs,
      );
      json(200, { files: found.map(({ id, appProperties }) => ({ id, appProperties })) });
    } else if (
      request.method === 'POST' &&
      url.pathname === '/upload/drive/v3/files' &&
      url.searchParams.get('uploadType') === 'multipart'
    ) {
      const boundary = /boundary=(.+)$/.exec(request.headers['content-type'] ?? '')?.[1] ?? '';
      const [metadataPart, textPart] = body
        .split(`--${boundary}`)
        .slice(1, 3)
        .map((part) => part.split('\r\n\r\n').slice(1).join('\r\n\r\n').replace(/\r\n$/, ''));
      const metadata = JSON.parse(metadataPart ?? '{}') as Omit<DriveFile, 'id' | 'text'>;
      json(200, { id: this.store({ ...metadata, text: textPart ?? '' }).id });
    } else if (request.method === 'POST' && copy) {
      const template = this.files.get(copy[1] ?? '');
      if (!template) return json(404, { error: { code: 404, message: `File not found: ${copy[1]}.` } });
      const metadata = JSON.parse(body) as Pick<DriveFile, 'name' | 'parents' | 'appProperties'>;
      json(200, { id: this.store({ ...metadata, mimeType: template.mimeType, text: template.text }).id });
    } else if (request.method === 'PATCH' && file) {
      const target = this.files.get(file[1] ?? '');
      if (!target) return json(404, { error: { code: 404, message: 'File not found.' } });
      const changes = JSON.parse(body) as { appProperties?: Record<string, string> };
      target.appProperties = { ...target.appProperties, ...changes.appProperties };
      json(200, { id: target.id });
    } else if (request.method === 'GET' && document) {
      const target = this.files.get(document[1] ?? '');
      if (!target) return json(404, { error: { code: 404, message: 'Requested entity was not found.' } });
      json(200, {
        documentId: target.id,
        title: target.name,
        body: {
          content: target.text
            .split(/(?<=\n)/)
            .map((line) => ({ paragraph: { elements: [{ textRun: { content: line } }] } })),
        },
      });
    } else if (request.method === 'POST' && batchUpdate) {
      const target = this.files.get(batchUpdate[1] ?? '');
      if (!target) return json(404, { error: { code: 404, message: 'Requested entity was not found.' } });
      const { requests } = JSON.parse(body) as {
        requests: Array<{ insertText?: { location: { index: number }; text: string } }>;
      };
      for (const change of requests) if (change.insertText) target.text = change.insertText.text + target.text;
      json(200, { documentId: target.id, replies: requests.map(() => ({})) });
    } else {
      json(404, { error: { code: 404, message: `no fake for ${request.method} ${url.pathname}` } });
    }
  }

  /** Adds a file (e.g. a template a test shares with the service account). */
  store(
    file: Omit<DriveFile, 'id' | 'appProperties' | 'parents'> & Partial<Pick<DriveFile, 'appProperties' | 'parents'>>,
  ): DriveFile {
    const stored: DriveFile = {
      appProperties: {},
      parents: [],
      ...file,
      id: `1${randomBytes(16).toString('base64url')}`,
    };
    this.files.set(stored.id, stored);
    this.madeAt.set(stored.id, Date.now());
    return stored;
  }

  private checkAssertion(form: URLSearchParams): string | undefined {
    if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') return 'unsupported grant type';
    const [header, claims, signature] = (form.get('assertion') ?? '').split('.');
    if (!header || !claims || !signature) return 'malformed JWT';
    const signed = createVerify('RSA-SHA256')
      .update(`${header}.${claims}`)
      .verify(this.keys.publicKey, signature, 'base64url');
    if (!signed) return 'Invalid JWT Signature.';
    const payload = JSON.parse(Buffer.from(claims, 'base64url').toString('utf8')) as {
      iss?: string;
      aud?: string;
      scope?: string;
      exp?: number;
    };
    if (payload.iss !== this.clientEmail) return 'unknown issuer';
    if (payload.aud !== `${this.origin}/token`) return 'wrong audience';
    if (payload.scope !== 'https://www.googleapis.com/auth/drive.file') return `unexpected scope ${payload.scope}`;
    if (!payload.exp || payload.exp * 1000 < Date.now()) return 'expired';
    return undefined;
  }
}

import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import { Agent } from 'undici';
import { describe, expect, it } from 'vitest';
import { GoogleDocsClient } from '../../activities/google/drive-client.js';
import { ServiceAccountAuth } from '../../activities/google/service-account.js';
import { FailureType } from '../../schemas/failure-types.js';
import { googleSettings, loadConfig } from '../../src/config.js';

const auth = (source: { json?: string; file?: string }) => new ServiceAccountAuth(source, 'scope', new Agent(), 1000);
const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error as { type?: string; message: string; nonRetryable?: boolean },
  );

describe('Google service account', () => {
  it('says which variable to set when there is none', async () => {
    expect(auth({}).configured).toBe(false);
    const failure = await failureOf(auth({}).accessToken(new AbortController().signal));
    expect(failure).toMatchObject({ type: FailureType.Configuration, nonRetryable: true });
    expect(failure?.message).toContain('GOOGLE_APPLICATION_CREDENTIALS');
  });

  it('names what a key lacks, and a key file it cannot read, without printing the key', async () => {
    const secret = '-----BEGIN PRIVATE KEY-----secret-----END PRIVATE KEY-----';
    const lacking = await failureOf(
      auth({ json: JSON.stringify({ type: 'service_account', private_key: secret }) }).clientEmail(),
    );
    expect(lacking?.message).toBe('the Google service account key lacks client_email');
    expect((await failureOf(auth({ json: 'not json' }).clientEmail()))?.message).toBe(
      'the Google service account key is not JSON',
    );
    const unreadable = await failureOf(auth({ file: '/nonexistent/key.json' }).clientEmail());
    expect(unreadable).toMatchObject({ type: FailureType.Configuration });
    expect(unreadable?.message).toContain('/nonexistent/key.json');
  });

  it('is configured from GOOGLE_APPLICATION_CREDENTIALS or GOOGLE_SERVICE_ACCOUNT_JSON', () => {
    expect(
      googleSettings(loadConfig({ GOOGLE_APPLICATION_CREDENTIALS: '/run/secrets/google.json' })).credentials,
    ).toEqual({ json: undefined, file: '/run/secrets/google.json' });
    expect(googleSettings(loadConfig({})).apiBaseUrl).toBeUndefined();
  });
});

describe('GoogleDocsClient errors', () => {
  it('reads an HTML error page as the status it is: a 503 is retried after its Retry-After, a 404 names the account to share with', async () => {
    let status = 503;
    const server = createServer((request, response) => {
      request.resume();
      if (request.url === '/token') {
        response
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ access_token: 'ya29.x', expires_in: 3600 }));
        return;
      }
      response
        .writeHead(status, { 'content-type': 'text/html', 'retry-after': '7' })
        .end('<html><body>Service Unavailable</body></html>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    const key = JSON.stringify({
      type: 'service_account',
      client_email: 'writer@test.iam.gserviceaccount.com',
      private_key: privateKey,
      token_uri: `${origin}/token`,
    });
    const client = new GoogleDocsClient({ credentials: { json: key }, apiBaseUrl: origin, timeoutMs: 2000 });
    try {
      const unavailable = await failureOf(
        client.findByDocId(1, '1FolderSharedWithNewLoom0001', new AbortController().signal),
      );
      expect(unavailable).toMatchObject({ type: FailureType.HttpTransient, nonRetryable: false, nextRetryDelay: 7000 });
      status = 404;
      const missing = await failureOf(
        client.findByDocId(1, '1FolderSharedWithNewLoom0001', new AbortController().signal),
      );
      expect(missing).toMatchObject({ type: FailureType.HttpPermanent, nonRetryable: true });
      expect(missing?.message).toContain('writer@test.iam.gserviceaccount.com');
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

import { Agent } from 'undici';
import { describe, expect, it } from 'vitest';
import { ServiceAccountAuth } from '../../activities/google/service-account.js';
import { FailureType } from '../../schemas/failure-types.js';
import { googleSettings, loadConfig } from '../../src/config.js';

const auth = (source: { json?: string; file?: string }) => new ServiceAccountAuth(source, 'scope', new Agent(), 1000);
const failureOf = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error as { type?: string; message: string; nonRetryable?: boolean });

describe('Google service account', () => {
  it('says which variable to set when there is none', async () => {
    expect(auth({}).configured).toBe(false);
    const failure = await failureOf(auth({}).accessToken(new AbortController().signal));
    expect(failure).toMatchObject({ type: FailureType.Configuration, nonRetryable: true });
    expect(failure?.message).toContain('GOOGLE_APPLICATION_CREDENTIALS');
  });

  it('names what a key lacks, and a key file it cannot read, without printing the key', async () => {
    const secret = '-----BEGIN PRIVATE KEY-----secret-----END PRIVATE KEY-----';
    const lacking = await failureOf(auth({ json: JSON.stringify({ type: 'service_account', private_key: secret }) }).clientEmail());
    expect(lacking?.message).toBe('the Google service account key lacks client_email');
    expect((await failureOf(auth({ json: 'not json' }).clientEmail()))?.message).toBe('the Google service account key is not JSON');
    const unreadable = await failureOf(auth({ file: '/nonexistent/key.json' }).clientEmail());
    expect(unreadable).toMatchObject({ type: FailureType.Configuration });
    expect(unreadable?.message).toContain('/nonexistent/key.json');
  });

  it('is configured from GOOGLE_APPLICATION_CREDENTIALS or GOOGLE_SERVICE_ACCOUNT_JSON', () => {
    expect(googleSettings(loadConfig({ GOOGLE_APPLICATION_CREDENTIALS: '/run/secrets/google.json' })).credentials).toEqual({ json: undefined, file: '/run/secrets/google.json' });
    expect(googleSettings(loadConfig({})).apiBaseUrl).toBeUndefined();
  });
});

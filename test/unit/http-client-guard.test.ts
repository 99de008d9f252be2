import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../../activities/http/http-client.js';
import { FailureType } from '../../schemas/failure-types.js';
import { FixtureServer } from '../helpers/fixture-server.js';

// The HTTP client against two local servers: `allowed` is on the allow-list by host:port, `refused`
// is the same loopback address on another port, so the list is all that tells them apart.
let allowed: FixtureServer;
let refused: FixtureServer;
let http: HttpClient;

beforeAll(async () => {
  [allowed, refused] = await Promise.all([FixtureServer.start(), FixtureServer.start()]);
  http = new HttpClient({
    userAgent: 'NewLoom-test',
    timeoutMs: 5000,
    maxBodyBytes: 1 << 20,
    hostMinIntervalMs: 0,
    allowedPrivateHosts: [new URL(allowed.origin).host],
  });
  allowed.route('/ok', { body: 'fine' });
  refused.route('/secret', { body: 'internal page' });
  allowed.route('/to-refused', { status: 302, headers: { location: refused.url('/secret') } });
  allowed.route('/to-metadata', { status: 301, headers: { location: 'http://169.254.169.254/latest/meta-data/' } });
  allowed.route('/to-data', { status: 302, headers: { location: 'data:text/plain,hello' } });
  allowed.route('/to-file', { status: 307, headers: { location: 'file:///etc/passwd' } });
});

afterAll(async () => {
  await allowed?.close();
  await refused?.close();
});

const signal = () => new AbortController().signal;
const failureOf = async (promise: Promise<unknown>): Promise<ApplicationFailure> => {
  const error = await promise.then(
    () => undefined,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(ApplicationFailure);
  return error as ApplicationFailure;
};

describe('HttpClient and the private-address guard', () => {
  it('fetches an allow-listed host:port', async () => {
    expect((await http.getText(allowed.url('/ok'), signal(), { accept: '*/*' })).body).toBe('fine');
  });

  it('refuses a loopback host:port that is not on the list, without a request reaching it, as a non-retryable failure naming host and rule', async () => {
    const failure = await failureOf(http.getText(refused.url('/secret'), signal(), { accept: '*/*' }));
    expect(failure.type).toBe(FailureType.PrivateAddressRefused);
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toBe(
      `refused ${refused.url('/secret')}: 127.0.0.1 is loopback (127.0.0.0/8) — set HTTP_ALLOWED_PRIVATE_HOSTS to allow it`,
    );
    expect(refused.requests).toEqual([]);
  });

  it('refuses a redirect hop to a private address: the refused server sees no request, not even for robots.txt', async () => {
    const failure = await failureOf(http.getText(allowed.url('/to-refused'), signal(), { accept: '*/*' }));
    expect(failure.type).toBe(FailureType.PrivateAddressRefused);
    expect(failure.message).toContain(`refused ${refused.url('/secret')}: 127.0.0.1 is loopback`);
    expect(refused.requests).toEqual([]);
    const metadata = await failureOf(http.getText(allowed.url('/to-metadata'), signal(), { accept: '*/*' }));
    expect(metadata.message).toBe(
      'refused http://169.254.169.254/latest/meta-data/: 169.254.169.254 is link-local (metadata) — set HTTP_ALLOWED_PRIVATE_HOSTS to allow it',
    );
  });

  it('refuses a name that resolves to a private address on a port the list does not name', async () => {
    const failure = await failureOf(
      http.getText(`http://localhost:${new URL(refused.origin).port}/secret`, signal(), { accept: '*/*' }),
    );
    expect(failure.type).toBe(FailureType.PrivateAddressRefused);
    expect(failure.message).toMatch(/localhost resolves to (127\.0\.0\.1|::1), loopback/);
    expect(refused.requests).toEqual([]);
  });

  it('fetches only http and https: data: and file: URLs fail permanently, first or after a redirect', async () => {
    for (const url of [
      'data:text/plain,hello',
      'file:///etc/passwd',
      allowed.url('/to-data'),
      allowed.url('/to-file'),
    ]) {
      const failure = await failureOf(http.getText(url, signal(), { accept: '*/*' }));
      expect(failure.type, url).toBe(FailureType.UnsupportedScheme);
      expect(failure.nonRetryable).toBe(true);
      expect(failure.message).toMatch(
        /^refused (data|file):.*: only http and https URLs are fetched, not (data|file):$/,
      );
    }
  });

  it('judges the browser first URL after DNS too (politely)', async () => {
    const failure = await failureOf(
      http.politely(refused.url('/secret'), signal(), false, async () => 'should not run'),
    );
    expect(failure.type).toBe(FailureType.PrivateAddressRefused);
  });
});

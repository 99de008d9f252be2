import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, temporalTransport } from '../../src/config.js';

const transportFor = (env: NodeJS.ProcessEnv) => temporalTransport(loadConfig(env));

describe('temporalTransport: how NewLoom reaches an existing Temporal server', () => {
  it('is a plain connection unless told otherwise', () => {
    expect(transportFor({ TEMPORAL_ADDRESS: 'temporal:7233' })).toEqual({});
  });

  it('turns TLS on with an API key (Temporal Cloud), and sends the key', () => {
    expect(transportFor({ TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233', TEMPORAL_API_KEY: 'secret-key' })).toEqual({
      tls: {},
      apiKey: 'secret-key',
    });
  });

  it('reads a client certificate pair for mTLS, and a CA bundle', () => {
    const dir = mkdtempSync(join(tmpdir(), 'newloom-tls-'));
    for (const name of ['client.pem', 'client.key', 'ca.pem']) writeFileSync(join(dir, name), `-- ${name} --`);
    const transport = transportFor({
      TEMPORAL_TLS_CERT_PATH: join(dir, 'client.pem'),
      TEMPORAL_TLS_KEY_PATH: join(dir, 'client.key'),
      TEMPORAL_TLS_CA_PATH: join(dir, 'ca.pem'),
    });
    expect(transport.tls?.clientCertPair?.crt.toString()).toBe('-- client.pem --');
    expect(transport.tls?.clientCertPair?.key.toString()).toBe('-- client.key --');
    expect(transport.tls?.serverRootCACertificate?.toString()).toBe('-- ca.pem --');
    expect(transport.apiKey).toBeUndefined();
  });

  it('refuses a certificate without its key, and a path it cannot read, naming the variable', () => {
    const certificate = join(mkdtempSync(join(tmpdir(), 'newloom-tls-')), 'client.pem');
    writeFileSync(certificate, '-- client.pem --');
    expect(() => transportFor({ TEMPORAL_TLS_CERT_PATH: certificate })).toThrow(/set both or neither/);
    expect(() => transportFor({ TEMPORAL_TLS_CERT_PATH: certificate })).toThrow(ConfigError);
    expect(() => transportFor({ TEMPORAL_TLS_CA_PATH: '/nonexistent/ca.pem' })).toThrow(/TEMPORAL_TLS_CA_PATH/);
  });
});

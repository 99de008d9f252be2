import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, httpSettings, loadConfig } from '../../src/config.js';

const adminKey = `admin:${'k'.repeat(32)}`;

/** The ConfigError loadConfig throws for this environment; fails the test if it throws nothing or something else. */
function configErrorFor(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('loadConfig defaults', () => {
  const config = loadConfig({});

  it('listens on 127.0.0.1:3000 and runs the embedded Temporal on 7233 with its UI on 8233', () => {
    expect(config).toMatchObject({
      API_HOST: '127.0.0.1',
      API_PORT: 3000,
      TEMPORAL_PORT: 7233,
      TEMPORAL_UI_PORT: 8233,
    });
    expect(config.TEMPORAL_ADDRESS).toBeUndefined();
  });

  it('uses the default namespace, the newloom task queue and info logging', () => {
    expect(config).toMatchObject({ TEMPORAL_NAMESPACE: 'default', TEMPORAL_TASK_QUEUE: 'newloom', LOG_LEVEL: 'info' });
  });

  it('keeps its files in ./data, with the SQLite database and the dev server state inside it', () => {
    expect(config.DATA_DIR).toBe(resolve('data'));
    expect(config.databaseUrl).toBe(`sqlite:${resolve('data', 'newloom.db')}`);
    expect(config.temporalDevServerDb).toBe(resolve('data', 'temporal.db'));
  });

  it('has no API keys', () => {
    expect(config.apiKeys).toEqual([]);
  });

  it('sets HTTP limits a fetch obeys', () => {
    expect(httpSettings(config)).toEqual({
      userAgent: expect.stringContaining('NewLoom'),
      timeoutMs: 30_000,
      connectTimeoutMs: 10_000,
      maxBodyBytes: 10 * 1024 * 1024,
      maxRedirects: 5,
      hostConcurrency: 2,
      hostMinIntervalMs: 1000,
      allowedPrivateHosts: [],
    });
  });
});

describe('loadConfig with settings', () => {
  it('reads ports from their string form', () => {
    const config = loadConfig({ API_PORT: '8080', TEMPORAL_PORT: '17233', TEMPORAL_UI_PORT: '18233' });
    expect(config).toMatchObject({ API_PORT: 8080, TEMPORAL_PORT: 17233, TEMPORAL_UI_PORT: 18233 });
  });

  it.each(['abc', '0', '65536', '80.5', '-1'])(
    'refuses API_PORT=%s with a ConfigError naming the variable',
    (value) => {
      expect(configErrorFor({ API_PORT: value }).message).toContain('API_PORT');
    },
  );

  it('names the Temporal ports when they are the bad ones', () => {
    expect(configErrorFor({ TEMPORAL_PORT: 'seven' }).message).toContain('TEMPORAL_PORT');
    expect(configErrorFor({ TEMPORAL_UI_PORT: '99999' }).message).toContain('TEMPORAL_UI_PORT');
  });

  it('names every bad variable at once', () => {
    const { message } = configErrorFor({ API_PORT: 'x', LOG_LEVEL: 'loud', HTTP_TIMEOUT_MS: '5' });
    expect(message).toContain('API_PORT');
    expect(message).toContain('LOG_LEVEL');
    expect(message).toContain('HTTP_TIMEOUT_MS');
  });

  it.each(['mysql://user:pw@db:3306/newloom', 'mongodb://db/newloom', '/var/lib/newloom.db', 'sqlite'])(
    'refuses DATABASE_URL=%s, which names no supported database',
    (url) => {
      expect(configErrorFor({ DATABASE_URL: url }).message).toContain('DATABASE_URL');
    },
  );

  it('takes a sqlite: or postgres:// DATABASE_URL as given, whatever DATA_DIR says', () => {
    expect(loadConfig({ DATABASE_URL: 'sqlite:/srv/db/news.db', DATA_DIR: '/elsewhere' }).databaseUrl).toBe(
      'sqlite:/srv/db/news.db',
    );
    expect(loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/newloom' }).databaseUrl).toBe(
      'postgres://u:p@db:5432/newloom',
    );
    expect(loadConfig({ DATABASE_URL: 'postgresql://u:p@db/newloom' }).databaseUrl).toBe('postgresql://u:p@db/newloom');
  });

  it('derives the database URL and dev server state from an absolute DATA_DIR', () => {
    const config = loadConfig({ DATA_DIR: '/srv/newloom' });
    expect(config.DATA_DIR).toBe('/srv/newloom');
    expect(config.databaseUrl).toBe('sqlite:/srv/newloom/newloom.db');
    expect(config.temporalDevServerDb).toBe('/srv/newloom/temporal.db');
  });

  it('resolves a relative DATA_DIR against the working directory', () => {
    const config = loadConfig({ DATA_DIR: 'var/state' });
    expect(config.DATA_DIR).toBe(resolve(process.cwd(), 'var/state'));
    expect(config.databaseUrl).toBe(`sqlite:${resolve(process.cwd(), 'var/state/newloom.db')}`);
  });

  it('refuses to listen beyond loopback without API keys', () => {
    expect(configErrorFor({ API_HOST: '0.0.0.0' }).message).toMatch(/API_HOST is 0\.0\.0\.0.*API_KEYS/);
  });

  it.each(['localhost', '::1'])('allows the loopback host %s without API keys', (host) => {
    expect(loadConfig({ API_HOST: host }).API_HOST).toBe(host);
  });

  it('listens beyond loopback once API keys are set, and does not keep the raw keys', () => {
    const config = loadConfig({ API_HOST: '0.0.0.0', API_KEYS: adminKey });
    expect(config.apiKeys).toHaveLength(1);
    expect(config.apiKeys[0]?.scope).toBe('admin');
    expect(config.API_KEYS).toBeUndefined();
    expect(JSON.stringify(config)).not.toContain('k'.repeat(32));
  });

  it('turns a malformed API_KEYS entry into a ConfigError', () => {
    expect(configErrorFor({ API_KEYS: 'admin:short' }).message).toContain('API_KEYS');
    expect(configErrorFor({ API_KEYS: `owner:${'k'.repeat(32)}` }).message).toContain('API_KEYS');
  });

  it('maps HTTP settings into the limits every fetch obeys', () => {
    const config = loadConfig({
      HTTP_TIMEOUT_MS: '5000',
      HTTP_MAX_REDIRECTS: '0',
      HTTP_HOST_CONCURRENCY: '4',
      HTTP_USER_AGENT: 'Test/1',
    });
    expect(httpSettings(config)).toMatchObject({
      timeoutMs: 5000,
      maxRedirects: 0,
      hostConcurrency: 4,
      userAgent: 'Test/1',
    });
  });
});

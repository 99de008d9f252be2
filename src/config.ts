import { readFileSync } from 'node:fs';
import type { ProbeSettings } from './health/stream-health.js';
import type { TemporalTransport } from './temporal/client.js';
import { resolve } from 'node:path';
import { z } from 'zod';
import { parseAllowedHost } from '../activities/http/address-guard.js';
import { ApiKeyConfigError, parseApiKeys, type ApiKey } from './api/auth.js';

/** Compose writes an unset `${VAR:-}` as an empty string: that means "not set", not "set to nothing". */
const optionalText = () =>
  z.preprocess(
    (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
    z.string().trim().min(1).optional(),
  );

const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);

/**
 * Every setting NewLoom reads from the environment, parsed once at start. The defaults bring up the
 * embedded stack (Temporal dev server, SQLite, worker, API) on one machine with nothing configured.
 */
const envSchema = z.object({
  /** @default 127.0.0.1 — where the API listens; 0.0.0.0 in a container. */
  API_HOST: z.string().default('127.0.0.1'),
  /** @default 3000 */
  API_PORT: port(3000),
  /** An existing Temporal frontend (host:port). When unset, `npm start` runs the embedded dev server. */
  TEMPORAL_ADDRESS: z.string().optional(),
  /** @default 7233 — gRPC port of the embedded dev server. */
  TEMPORAL_PORT: port(7233),
  /** @default 8233 — Web UI port of the embedded dev server. */
  TEMPORAL_UI_PORT: port(8233),
  /**
   * The Temporal Web UI the operator console links each run to (`<url>/namespaces/<ns>/workflows/<runId>`).
   * @default http://127.0.0.1:<TEMPORAL_UI_PORT>, the embedded dev server's UI
   */
  TEMPORAL_UI_URL: z.url({ protocol: /^https?$/ }).optional(),
  /**
   * Temporal Cloud's API key (or any server's that takes one). Sent only over TLS, so setting it turns
   * TLS on. Never logged.
   */
  TEMPORAL_API_KEY: optionalText(),
  /** `true` for a TLS connection to TEMPORAL_ADDRESS; implied by an API key or a client certificate. @default false */
  TEMPORAL_TLS: z.enum(['true', 'false']).default('false'),
  /** mTLS: the client certificate and its key (PEM files), as a Temporal Cloud namespace with certificates asks. */
  TEMPORAL_TLS_CERT_PATH: optionalText(),
  TEMPORAL_TLS_KEY_PATH: optionalText(),
  /** A CA bundle (PEM) for a server whose certificate the system's roots do not vouch for. */
  TEMPORAL_TLS_CA_PATH: optionalText(),
  /** @default default */
  TEMPORAL_NAMESPACE: z.string().default('default'),
  /** @default newloom — the task queue every NewLoom worker polls. */
  TEMPORAL_TASK_QUEUE: z.string().default('newloom'),
  /** Path of the `temporal` CLI binary; scripts/ensure-temporal-cli.sh finds or installs it. */
  TEMPORAL_CLI_PATH: z.string().optional(),
  /** @default ./data — the embedded stack's files (SQLite database, Temporal dev server state). */
  DATA_DIR: z.string().default('data'),
  /** `sqlite:<path>` or `postgres://user:password@host:port/db`. @default sqlite:<DATA_DIR>/newloom.db */
  DATABASE_URL: z
    .string()
    .regex(/^(sqlite:|postgres(ql)?:\/\/)/, 'must be sqlite:<path> or postgres://user:password@host:port/database')
    .optional(),
  /** Comma-separated `read:<key>` / `admin:<key>` bearer keys (`npm run api-key -- admin` makes one). Required unless API_HOST is a loopback address. */
  API_KEYS: z.string().optional(),
  /** How often the API retries the schedules of streams whose schedule could not follow a change (scheduleStatus error), in ms. @default 30000 */
  SCHEDULE_REPAIR_INTERVAL_MS: z.coerce.number().int().min(1000).max(3_600_000).default(30_000),
  /** @default info */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Timeout of one outgoing HTTP request made by a task, in ms. @default 30000 */
  HTTP_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  /** Opening a connection (TCP and TLS handshake), in ms. @default 10000 */
  HTTP_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /** Largest response body a task will read, in bytes. @default 10 MiB */
  HTTP_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(10 * 1024 * 1024),
  /** Requests in flight to one host across all streams of a worker. @default 2 */
  HTTP_HOST_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(2),
  /** Least time between two requests to one host, in ms. @default 1000 */
  HTTP_HOST_MIN_INTERVAL_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
  /** @default 5 */
  HTTP_MAX_REDIRECTS: z.coerce.number().int().min(0).max(20).default(5),
  /** Comma-separated `host` or `host:port` that tasks may fetch although they are private addresses (loopback, RFC 1918, link-local...): intranet feeds, local fixtures. @default none */
  HTTP_ALLOWED_PRIVATE_HOSTS: z
    .string()
    .default('')
    .transform((list, context) => {
      const hosts = list
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean);
      for (const host of hosts) {
        try {
          parseAllowedHost(host);
        } catch (error) {
          context.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
        }
      }
      return hosts;
    }),
  /** Chromium for browser tasks (Debian's package). @default /usr/bin/chromium */
  CHROMIUM_PATH: z.string().default('/usr/bin/chromium'),
  /** Browser pages open at once per worker. @default 4 */
  BROWSER_MAX_PAGES: z.coerce.number().int().min(1).max(32).default(4),
  /** Where telegram_publish reaches the Bot API. @default https://api.telegram.org */
  TELEGRAM_API_BASE_URL: z.url({ protocol: /^https?$/ }).default('https://api.telegram.org'),
  /** One Bot API call, from connect to answer, in ms. @default 15000 */
  TELEGRAM_TIMEOUT_MS: z.coerce.number().int().min(1000).max(60_000).default(15_000),
  /** news_stream's model API key (Anthropic). Read by the worker only; never logged or sent to Temporal. */
  ANTHROPIC_API_KEY: optionalText(),
  /** Where news_stream reaches the model. @default https://api.anthropic.com */
  ANTHROPIC_BASE_URL: z.url({ protocol: /^https?$/ }).default('https://api.anthropic.com'),
  /** One model call, from connect to the whole answer, in ms. @default 120000 */
  LLM_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(120_000),
  /** google_doc_creator's service account: the path of its JSON key file (a mounted secret). */
  GOOGLE_APPLICATION_CREDENTIALS: optionalText(),
  /** …or the key file's JSON itself. Read by the worker only; never logged or sent to Temporal. */
  GOOGLE_SERVICE_ACCOUNT_JSON: optionalText(),
  /** Where the Drive and Docs APIs are reached (a proxy, or a local fake in tests). @default Google's hosts */
  GOOGLE_API_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** host:port where a worker serves its Temporal metrics for Prometheus (/metrics); unset: none. */
  /** A quarantined stream's first probe comes this long after its quarantine (src/health/). @default 3600 */
  STREAM_PROBE_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(604_800).default(3600),
  /** Each failed probe doubles the interval, up to this. @default 86400 (daily) */
  STREAM_PROBE_MAX_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(604_800).default(86_400),
  WORKER_METRICS_ADDRESS: z
    .string()
    .regex(/^[\w.-]+:\d{1,5}$/, 'must be host:port, e.g. 0.0.0.0:9464')
    .optional(),
  /** A workflow bundle built ahead by `scripts/bundle-workflows.ts` (the production image has one); unset: one built once per change of the workflows, in .cache/workflow-bundle/. */
  WORKFLOW_BUNDLE_PATH: optionalText(),
  /**
   * Running workflows a worker keeps in memory between their tasks; one past it is evicted and replays
   * its (short) history on its next task. The SDK's own default grows with the heap limit (over 2,000
   * on a 24 GiB machine), which lets a busy worker's memory grow far past what stream runs need.
   * @default 250
   */
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).max(100_000).default(250),
  /** Activities a worker runs at once (fetching, parsing, saving). @default 100 */
  WORKER_MAX_CONCURRENT_ACTIVITIES: z.coerce.number().int().min(1).max(10_000).default(100),
  /** @default NewLoom/0.1 (+https://github.com/newloom) */
  HTTP_USER_AGENT: z.string().default('NewLoom/0.1 (news monitoring; +https://github.com/newloom)'),
});

export type Env = z.output<typeof envSchema>;

/** Without API keys the API may only listen where nobody else can reach it. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);

/** TELEGRAM_BOT_TOKEN and TELEGRAM_BOT_TOKEN_<NAME>: the bots a telegram_publish stream may name. */
const BOT_TOKEN_VARIABLE = /^TELEGRAM_BOT_TOKEN(_[A-Z0-9_]+)?$/;
const BOT_TOKEN = /^\d+:[A-Za-z0-9_-]{20,}$/;

export interface AppConfig extends Env {
  apiKeys: ApiKey[];
  /** Bot tokens by variable name. Read from the environment only, never logged, never sent to Temporal. */
  telegramBotTokens: Record<string, string>;
  databaseUrl: string;
  temporalDevServerDb: string;
  /** TEMPORAL_UI_URL, or the embedded dev server's UI; without a trailing slash. */
  temporalUiUrl: string;
}

/** Thrown at start when the environment holds an invalid setting; names every bad variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** The worker's browser settings. */
export function browserSettings(config: AppConfig) {
  return {
    executablePath: config.CHROMIUM_PATH,
    maxOpenPages: config.BROWSER_MAX_PAGES,
    userAgent: config.HTTP_USER_AGENT,
    allowedPrivateHosts: config.HTTP_ALLOWED_PRIVATE_HOSTS,
  };
}

/** How the worker reaches the Telegram Bot API, with the bots' tokens. */
export function telegramSettings(config: AppConfig) {
  return {
    apiBaseUrl: config.TELEGRAM_API_BASE_URL,
    botTokens: config.telegramBotTokens,
    timeoutMs: config.TELEGRAM_TIMEOUT_MS,
    connectTimeoutMs: config.HTTP_CONNECT_TIMEOUT_MS,
  };
}

/** How the worker reaches news_stream's language model. */
export function llmSettings(config: AppConfig) {
  return {
    apiBaseUrl: config.ANTHROPIC_BASE_URL,
    apiKey: config.ANTHROPIC_API_KEY,
    timeoutMs: config.LLM_TIMEOUT_MS,
    connectTimeoutMs: config.HTTP_CONNECT_TIMEOUT_MS,
  };
}

/** How the worker reaches Google Drive and Docs, and as whom. */
export function googleSettings(config: AppConfig) {
  return {
    credentials: { json: config.GOOGLE_SERVICE_ACCOUNT_JSON, file: config.GOOGLE_APPLICATION_CREDENTIALS },
    apiBaseUrl: config.GOOGLE_API_BASE_URL,
    timeoutMs: config.HTTP_TIMEOUT_MS,
    connectTimeoutMs: config.HTTP_CONNECT_TIMEOUT_MS,
  };
}

/** Bot tokens from the environment; a malformed one stops the start, named by its variable (its value is a secret). */
function readBotTokens(env: NodeJS.ProcessEnv): Record<string, string> {
  const tokens: Record<string, string> = {};
  const malformed: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (!BOT_TOKEN_VARIABLE.test(name) || value === undefined || value.trim() === '') continue;
    if (BOT_TOKEN.test(value.trim())) tokens[name] = value.trim();
    else malformed.push(name);
  }
  if (malformed.length > 0)
    throw new ConfigError(
      `invalid environment: ${malformed.join(', ')}: not a bot token (expected <digits>:<secret>, as @BotFather gives it)`,
    );
  return tokens;
}

/**
 * How NewLoom reaches an existing Temporal server (TEMPORAL_ADDRESS): plain, TLS, mTLS or an API key.
 * The embedded dev server always takes a plain connection.
 */
export function temporalTransport(config: AppConfig): TemporalTransport {
  const read = (path: string | undefined, name: string) => {
    if (!path) return undefined;
    try {
      return readFileSync(path);
    } catch (error) {
      throw new ConfigError(`${name}: cannot read ${path} (${(error as Error).message})`);
    }
  };
  const crt = read(config.TEMPORAL_TLS_CERT_PATH, 'TEMPORAL_TLS_CERT_PATH');
  const key = read(config.TEMPORAL_TLS_KEY_PATH, 'TEMPORAL_TLS_KEY_PATH');
  if (Boolean(crt) !== Boolean(key))
    throw new ConfigError('TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH go together: set both or neither');
  const ca = read(config.TEMPORAL_TLS_CA_PATH, 'TEMPORAL_TLS_CA_PATH');
  const apiKey = config.TEMPORAL_API_KEY;
  const tls = config.TEMPORAL_TLS === 'true' || Boolean(apiKey) || Boolean(crt) || Boolean(ca);
  if (!tls) return {};
  return {
    tls: {
      ...(crt && key ? { clientCertPair: { crt, key } } : {}),
      ...(ca ? { serverRootCACertificate: ca } : {}),
    },
    ...(apiKey ? { apiKey } : {}),
  };
}

/** The HTTP limits every task's fetches obey. */
/** How quarantined streams are probed (src/health/stream-health.ts). */
export function probeSettings(config: AppConfig): ProbeSettings {
  return {
    intervalSeconds: config.STREAM_PROBE_INTERVAL_SECONDS,
    maxIntervalSeconds: Math.max(config.STREAM_PROBE_INTERVAL_SECONDS, config.STREAM_PROBE_MAX_INTERVAL_SECONDS),
  };
}

export function httpSettings(config: AppConfig) {
  return {
    userAgent: config.HTTP_USER_AGENT,
    timeoutMs: config.HTTP_TIMEOUT_MS,
    connectTimeoutMs: config.HTTP_CONNECT_TIMEOUT_MS,
    maxBodyBytes: config.HTTP_MAX_BODY_BYTES,
    maxRedirects: config.HTTP_MAX_REDIRECTS,
    hostConcurrency: config.HTTP_HOST_CONCURRENCY,
    hostMinIntervalMs: config.HTTP_HOST_MIN_INTERVAL_MS,
    allowedPrivateHosts: config.HTTP_ALLOWED_PRIVATE_HOSTS,
  };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new ConfigError(`invalid environment: ${problems}`);
  }
  const dataDir = resolve(parsed.data.DATA_DIR);
  let apiKeys: ApiKey[];
  try {
    apiKeys = parseApiKeys(parsed.data.API_KEYS);
  } catch (error) {
    if (error instanceof ApiKeyConfigError) throw new ConfigError(`invalid environment: ${error.message}`);
    throw error;
  }
  if (apiKeys.length === 0 && !LOOPBACK_HOSTS.has(parsed.data.API_HOST)) {
    throw new ConfigError(
      `API_HOST is ${parsed.data.API_HOST}, reachable from other machines: set API_KEYS (\`npm run api-key -- admin\` makes a key)`,
    );
  }
  return {
    ...parsed.data,
    API_KEYS: undefined,
    apiKeys,
    telegramBotTokens: readBotTokens(env),
    DATA_DIR: dataDir,
    databaseUrl: parsed.data.DATABASE_URL ?? `sqlite:${resolve(dataDir, 'newloom.db')}`,
    temporalDevServerDb: resolve(dataDir, 'temporal.db'),
    temporalUiUrl: (parsed.data.TEMPORAL_UI_URL ?? `http://127.0.0.1:${parsed.data.TEMPORAL_UI_PORT}`).replace(
      /\/+$/,
      '',
    ),
  };
}

import { pino, type Logger } from 'pino';

/** Keys whose values never reach a log line, wherever they appear in the logged object. */
const REDACTED_PATHS = [
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.token',
  '*.apiKey',
  'apiKey',
  '*.TEMPORAL_API_KEY',
  '*.bot_token',
  'config.bot_token',
];

export function createLogger(level: string, name = 'newloom'): Logger {
  return pino({ name, level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } });
}

export type { Logger };

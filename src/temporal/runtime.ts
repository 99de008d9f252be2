import { Runtime, type LogLevel, type LogMetadata, type Logger as TemporalLogger } from '@temporalio/worker';
import type { Logger } from 'pino';

const pinoMethod = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;

/** Routes the SDK's logs (workflow and activity context loggers included) through our pino logger. */
export function pinoTemporalLogger(logger: Logger): TemporalLogger {
  const log = (level: LogLevel, message: string, meta?: LogMetadata) => logger[pinoMethod[level]]({ ...meta }, message);
  return {
    log,
    trace: (message, meta) => log('TRACE', message, meta),
    debug: (message, meta) => log('DEBUG', message, meta),
    info: (message, meta) => log('INFO', message, meta),
    warn: (message, meta) => log('WARN', message, meta),
    error: (message, meta) => log('ERROR', message, meta),
  };
}

let installed = false;

/**
 * Installs the SDK runtime once per process, before any worker exists. Signal handling stays ours: the
 * process entry point decides the shutdown order (API, then worker, then dev server). With a metrics
 * address, the worker's own metrics (task latencies, activity failures, slots in use) are served for
 * Prometheus at http://<address>/metrics.
 */
export function installTemporalRuntime(logger: Logger, options: { metricsAddress?: string | undefined } = {}): void {
  if (installed) return;
  Runtime.install({
    logger: pinoTemporalLogger(logger.child({ component: 'temporal' })),
    shutdownSignals: [],
    ...(options.metricsAddress
      ? { telemetryOptions: { metrics: { prometheus: { bindAddress: options.metricsAddress } } } }
      : {}),
  });
  installed = true;
}

import { hostname } from 'node:os';
import { isMainThread } from 'node:worker_threads';
import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

export interface LoggerSettings {
  service: string;
  level: string;
  pretty: boolean;
  instance?: string;
}

/** The process logger; every line carries the service and replica name. */
export function createLogger(settings: LoggerSettings): Logger {
  const options: LoggerOptions = {
    level: settings.level,
    base: { service: settings.service, instance: settings.instance || `${hostname()}-${process.pid}` },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ['api_key', '*.api_key', 'headers["x-agent-key"]', 'headers.authorization'], censor: '[redacted]' },
  };
  if (settings.pretty) {
    return pino({ ...options, transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l' } } });
  }
  // A service hosted as a worker thread writes through its process.stdout, which the host reads line by line like a
  // child's output; pino's own destination would write to file descriptor 1 behind the host's back.
  return isMainThread ? pino(options) : pino(options, process.stdout);
}

import { hostname } from 'node:os';
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
  return pino(options);
}

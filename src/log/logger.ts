// The service's logger: JSON lines (pino) in which no credential ever
// appears. Redaction runs on the finished line, so it covers everything a
// line can carry: request headers, GraphQL variables, error messages, child
// bindings.
import { pino, type DestinationStream, type Logger } from 'pino';
import { redactLogLine } from './redact.js';

export interface LoggerOptions {
  level: string;
  /** Where lines go (default: stdout). */
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions): Logger {
  const settings = { level: options.level, hooks: { streamWrite: redactLogLine } };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}

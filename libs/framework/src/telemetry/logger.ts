// Structured JSON logs (pino): every line carries the service and version; request loggers add requestId,
// traceId, spanId and the rpc method (see request-context.ts).
import pino, { type DestinationStream, type Logger as PinoLogger } from 'pino';
import { logFieldsOf } from './log-context';

/** Logger is the framework's logger type (a pino logger). */
export type Logger = PinoLogger;

/** LoggerOptions configure createLogger. */
export interface LoggerOptions {
  readonly service: string;
  readonly version: string;
  readonly level?: string;
  /** Where lines go; stdout by default (tests pass a stream to read them). */
  readonly destination?: DestinationStream;
}

// pino's bindings() parses the logger's serialised bindings back from JSON on every call; a logger's bindings only
// change through setBindings, which nothing here calls, so each logger's are read once.
const boundKeys = new WeakMap<PinoLogger, Record<string, unknown>>();
function bindingsOf(logger: PinoLogger): Record<string, unknown> {
  let bound = boundKeys.get(logger);
  if (!bound) {
    bound = logger.bindings();
    boundKeys.set(logger, bound);
  }
  return bound;
}

/** createLogger returns the service's root logger: JSON lines with ISO timestamps and level names. */
export function createLogger(options: LoggerOptions): Logger {
  const settings = {
    level: options.level ?? 'info',
    base: { service: options.service, version: options.version },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    // The correlation fields of the active context (log-context.ts), minus those the logger is already bound to
    // (a request's child logger carries its requestId itself): no key appears twice on a line.
    mixin: (_merge: object, _level: number, logger: PinoLogger) => {
      const fields = logFieldsOf();
      if (!fields) return {};
      const bound = bindingsOf(logger);
      const added: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(fields)) {
        if (value !== undefined && !(key in bound)) added[key] = value;
      }
      return added;
    },
  };
  // pino's default destination writes synchronously, so the last lines survive process.exit().
  return options.destination ? pino(settings, options.destination) : pino(settings);
}

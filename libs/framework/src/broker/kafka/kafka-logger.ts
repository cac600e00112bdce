// Routes kafkajs's own logs into the service's pino logger, so they share its format, level and trace fields.
import { logLevel, type logCreator } from 'kafkajs';
import type { Logger } from 'pino';

/** kafkaLogLevel maps a pino level name to the most verbose kafkajs level pino would print. */
export function kafkaLogLevel(level: string): logLevel {
  switch (level) {
    case 'trace':
    case 'debug':
      return logLevel.DEBUG;
    case 'info':
      return logLevel.INFO;
    case 'warn':
      return logLevel.WARN;
    case 'silent':
      return logLevel.NOTHING;
    default:
      return logLevel.ERROR;
  }
}

/** pinoLogCreator is a kafkajs `logCreator` that writes every entry to `logger` with its namespace. */
export function pinoLogCreator(logger: Logger): logCreator {
  return () =>
    ({ namespace, level, log }) => {
      // kafkajs puts its own timestamp and logger name in every entry; pino already has both.
      const { message, timestamp: _timestamp, logger: _logger, ...fields } = log;
      const entry = { kafkajs: namespace, ...fields };
      if (level === logLevel.ERROR) logger.error(entry, message);
      else if (level === logLevel.WARN) logger.warn(entry, message);
      else if (level === logLevel.INFO) logger.info(entry, message);
      else logger.debug(entry, message);
    };
}

import { logLevel } from 'kafkajs';
import pino from 'pino';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { kafkaLogLevel, pinoLogCreator } from './kafka-logger';

describe('pinoLogCreator', () => {
  it("writes kafkajs entries to pino at the matching level, with kafkajs's fields and without its timestamp", () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()));
        done();
      },
    });
    const log = pinoLogCreator(pino({ level: 'debug' }, sink))(logLevel.DEBUG);
    const entry = (level: logLevel, message: string) => ({
      namespace: 'Consumer',
      level,
      label: '',
      log: { message, timestamp: 'x', logger: 'kafkajs', groupId: 'g' },
    });
    log(entry(logLevel.ERROR, 'crashed'));
    log(entry(logLevel.WARN, 'slow'));
    log(entry(logLevel.INFO, 'joined'));
    log(entry(logLevel.DEBUG, 'fetch'));

    expect(lines.map((l) => [l.level, l.msg, l.kafkajs, l.groupId, l.timestamp, l.logger])).toEqual([
      [50, 'crashed', 'Consumer', 'g', undefined, undefined],
      [40, 'slow', 'Consumer', 'g', undefined, undefined],
      [30, 'joined', 'Consumer', 'g', undefined, undefined],
      [20, 'fetch', 'Consumer', 'g', undefined, undefined],
    ]);
  });

  it("maps pino's level to the most verbose kafkajs level it would print", () => {
    expect(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'].map(kafkaLogLevel)).toEqual([
      logLevel.DEBUG,
      logLevel.DEBUG,
      logLevel.INFO,
      logLevel.WARN,
      logLevel.ERROR,
      logLevel.ERROR,
      logLevel.NOTHING,
    ]);
  });
});

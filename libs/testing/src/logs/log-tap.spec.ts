import { createLogger } from '@blog/framework';
import { describe, expect, it } from 'vitest';
import { LogTap } from './log-tap';

describe('LogTap', () => {
  const tapWithLogger = (echoLevel: string) => {
    const echoed: string[] = [];
    const tap = new LogTap(echoLevel, (line) => echoed.push(line));
    const logger = createLogger({ service: 'svc', version: '1', level: 'debug', destination: tap });
    return { tap, logger, echoed };
  };

  it("keeps the service's lines, not kafkajs's, and finds them by message and fields", () => {
    const { tap, logger } = tapWithLogger('silent');
    logger.debug({ messageId: 'm1' }, 'duplicate event skipped');
    logger.debug({ kafkajs: 'Consumer' }, 'fetching');
    logger.info({ messageId: 'm2', status: 'ok' }, 'handled');
    expect(tap.lines.map((l) => l.msg)).toEqual(['duplicate event skipped', 'handled']);
    expect(tap.find('handled', { messageId: 'm2' })).toMatchObject({ status: 'ok', service: 'svc' });
    expect(tap.find('handled', { messageId: 'm1' })).toBeUndefined();
  });

  it('prints the lines at or above its echo level, kafkajs warnings included', () => {
    const { logger, echoed } = tapWithLogger('warn');
    logger.info('quiet');
    logger.warn('loud');
    logger.error({ kafkajs: 'Connection' }, 'broker down');
    expect(echoed.map((l) => JSON.parse(l).msg)).toEqual(['loud', 'broker down']);
  });

  it('next waits for a line still to come, and fails naming it', async () => {
    const { tap, logger } = tapWithLogger('silent');
    setTimeout(() => logger.debug({ messageId: 'late' }, 'recorded'), 50);
    await expect(tap.next('recorded', { messageId: 'late' }, 2_000)).resolves.toMatchObject({
      messageId: 'late',
    });
    await expect(tap.next('never', {}, 60)).rejects.toThrow('waiting for log "never" {}');
  });
});

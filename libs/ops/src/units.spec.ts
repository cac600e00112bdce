import { resolve } from 'node:path';
import { DlqHeaders, type BrokerMessage } from '@blog/framework';
import { describe, expect, it } from 'vitest';
import { parseJsonArgument, parseMetadata } from './call';
import { dlqTopics, parseDlqId, redriveHeaders, toDeadLetter } from './dlq';
import { OpsError } from './errors';
import { parseMetrics } from './services';
import { traceUrl } from './target';
import { consumersOf, scanTopology } from './topology';

const expectUsage = (run: () => unknown, text: RegExp) => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(OpsError);
    expect((error as OpsError).exitCode).toBe(2);
    expect((error as Error).message).toMatch(text);
    return;
  }
  throw new Error('expected a usage error');
};

describe('dead letters', () => {
  const record: BrokerMessage = {
    topic: 'events.user.profile.dlq',
    partition: 1,
    offset: '7',
    key: 'acc-1',
    value: Buffer.from('{"userId":"acc-1"}'),
    timestamp: '1000',
    headers: {
      id: 'ev-1',
      eventType: 'UserCreated',
      sagaId: 'saga-1',
      [DlqHeaders.reason]: 'handler-failed',
      [DlqHeaders.errorMessage]: 'boom',
      [DlqHeaders.attempts]: '5',
      [DlqHeaders.consumer]: 'blog',
      [DlqHeaders.originalTopic]: 'events.user.profile',
      [DlqHeaders.originalPartition]: '1',
      [DlqHeaders.originalOffset]: '42',
    },
  };

  it('decodes the headers into a letter with an id', () => {
    expect(toDeadLetter(record)).toMatchObject({
      id: 'events.user.profile.dlq:1:7',
      eventId: 'ev-1',
      attempts: 5,
      consumer: 'blog',
      original: { topic: 'events.user.profile', partition: 1, offset: '42' },
      payload: '{"userId":"acc-1"}',
    });
  });

  it('redrives with the original headers (same event id), without the dlq ones, saying who and when', () => {
    const headers = redriveHeaders(toDeadLetter(record), 'ops', new Date('2026-01-01T00:00:00Z'));
    expect(headers).toEqual({
      id: 'ev-1',
      eventType: 'UserCreated',
      sagaId: 'saga-1',
      'redrive.by': 'ops',
      'redrive.at': '2026-01-01T00:00:00.000Z',
      'redrive.from': 'events.user.profile.dlq:1:7',
    });
  });

  it('checks ids and topics', () => {
    expect(parseDlqId('events.post.post.dlq:2:10')).toEqual({
      topic: 'events.post.post.dlq',
      partition: 2,
      offset: '10',
    });
    expectUsage(() => parseDlqId('events.nope.dlq:0:1'), /malformed dead-letter id/);
    expectUsage(() => parseDlqId('x'), /malformed dead-letter id/);
    expect(dlqTopics('events.post.post')).toEqual(['events.post.post.dlq']);
    expect(dlqTopics('events.post.post.dlq')).toEqual(['events.post.post.dlq']);
    expectUsage(() => dlqTopics('events.nope'), /unknown topic/);
  });
});

describe('call input', () => {
  it('accepts a JSON object only', () => {
    expect(parseJsonArgument('{"a":1}')).toEqual({ a: 1 });
    expectUsage(() => parseJsonArgument('{'), /malformed JSON/);
    expectUsage(() => parseJsonArgument('[1]'), /expected an object/);
  });

  it('reads metadata pairs', () => {
    expect(parseMetadata(['X-Request-Id: abc', 'a=b'])).toEqual({ 'x-request-id': 'abc', a: 'b' });
    expectUsage(() => parseMetadata(['nocolon']), /malformed --metadata/);
  });
});

describe('parseMetrics', () => {
  it('reads breakers, uptime, the service version and the Node.js version, labels included', () => {
    const text = [
      'circuit_state{name="user.GetUser",service="api-gateway"} 2',
      'circuit_state{name="auth.Login",service="api-gateway"} 0',
      'process_start_time_seconds{service="api-gateway"} 100',
      'nodejs_version_info{version="v24.1.0",major="24",service="x"} 1',
      'service_info{version="0.1.0",service="api-gateway"} 1',
    ].join('\n');
    expect(parseMetrics(text, 160_000)).toEqual({
      breakers: [
        { endpoint: 'auth.Login', state: 'closed' },
        { endpoint: 'user.GetUser', state: 'open' },
      ],
      uptimeSeconds: 60,
      nodeVersion: 'v24.1.0',
      version: '0.1.0',
    });
  });
});

describe('traceUrl', () => {
  it('links a traceparent to the viewer, and nothing else', () => {
    expect(traceUrl('http://z:9411/', '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01')).toBe(
      'http://z:9411/zipkin/traces/0af7651916cd43dd8448eb211c80319c',
    );
    expect(
      traceUrl('http://z:9411', '00-00000000000000000000000000000000-b7ad6b7169203331-01'),
    ).toBeUndefined();
    expect(traceUrl('http://z:9411', undefined)).toBeUndefined();
  });
});

describe('scanTopology', () => {
  const topology = scanTopology(resolve(__dirname, '../../..'));

  it('reads the handlers and emitters from the apps', () => {
    expect(consumersOf(topology, 'AccountCreated')).toEqual(['user']);
    expect(consumersOf(topology, 'BlogDeleting').sort()).toEqual(['post', 'subscribe', 'visitor']);
    expect(topology.events.find((e) => e.type === 'PostSubmitted')).toMatchObject({
      producer: 'post',
      topic: 'events.post.post',
    });
    expect(topology.rpc).toEqual(
      expect.arrayContaining([
        { from: 'api-gateway', to: 'auth' },
        { from: 'api-gateway', to: 'subscribe' },
      ]),
    );
  });

  it('gives every handled event a producer', () => {
    const handled = topology.events.flatMap((e) => e.consumers);
    expect(handled.length).toBeGreaterThan(10);
    for (const e of topology.events) expect(e.producer).toMatch(/^(auth|user|blog|post|subscribe|visitor)$/);
  });
});

// GET /v1/users/me/feed/stream over real HTTP against the gateway over fakes: what is refused before the stream starts
// (always the contract's JSON) and the start of a stream. Events, resume and replicas are proven against the real
// subscribe service in e2e (11-feed-stream).
import { openSse } from '@blog/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../testing/harness';

const PATH = '/v1/users/me/feed/stream';

describe('GET /v1/users/me/feed/stream (gateway over fakes)', () => {
  let harness: Harness;
  let token: string;
  beforeAll(async () => {
    harness = await startHarness();
    token = (await harness.fixtures.user()).accessToken;
  });
  afterAll(() => harness.close());
  const url = () => `${harness.baseUrl}${PATH}`;

  it('starts an event stream: 200 text/event-stream with the request id, open until the caller leaves', async () => {
    const stream = await openSse(url(), { token, headers: { 'x-request-id': 'sse-start-1' } });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(stream.headers.get('x-request-id')).toBe('sse-start-1');
    expect(stream.headers.get('cache-control')).toBe('no-cache, no-transform');
    stream.close();
  });

  it.each([
    ['no token', {}, 401, 'UNAUTHENTICATED'],
    ['a Last-Event-ID that is no event id', { lastEventId: 'abc' }, 400, 'INVALID_ARGUMENT'],
    [
      'an Accept without text/event-stream',
      { headers: { accept: 'application/json' } },
      400,
      'INVALID_ARGUMENT',
    ],
  ] as const)('refuses %s with the contract JSON', async (_, options, status, code) => {
    const withToken = 'lastEventId' in options || 'headers' in options ? { token, ...options } : options;
    const refused = await openSse(url(), withToken);
    expect(refused.status).toBe(status);
    expect(refused.headers.get('content-type')).toMatch(/^application\/json/);
    expect(JSON.parse(refused.body)).toMatchObject({ error: { code, message: expect.any(String) } });
  });

  it('names the bad header', async () => {
    const accept = await openSse(url(), { token, headers: { accept: 'application/json' } });
    expect(JSON.parse(accept.body).error.details).toEqual([
      { field: 'Accept', message: 'must allow text/event-stream' },
    ]);
  });

  it('answers 503 JSON when the subscribe service cannot start the stream', async () => {
    await harness.backend.stopService('subscribe');
    try {
      const refused = await openSse(url(), { token });
      expect(refused.status).toBe(503);
      expect(JSON.parse(refused.body)).toMatchObject({ error: { code: 'UNAVAILABLE' } });
    } finally {
      await harness.backend.startService('subscribe');
    }
  });
});

// Requests refused before they reach a route (Node's HTTP parser, Fastify's router, a missing Host, Expect) still get
// the contract's error JSON and an X-Request-Id. Sent over raw TCP: fetch would refuse to send most of them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './testing/harness';
import { rawRequest, type RawResponse } from '@blog/testing';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function expectContractError(response: RawResponse, status: number, code: string, context: string): void {
  expect(response.status, context).toBe(status);
  expect(response.headers['content-type'], context).toBe('application/json; charset=utf-8');
  expect(response.headers['x-request-id'], context).toMatch(/^\S+$/);
  expect(response.body, `${context}: ${response.text}`).toMatchObject({
    error: { code, message: expect.any(String) },
  });
  expect(Object.keys(response.body), context).toEqual(['error']);
}

describe('the HTTP edge, over raw TCP', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(() => harness.close());

  const send = (request: string | Buffer) => rawRequest(harness.baseUrl, request);

  it("answers requests Node's HTTP parser refuses with 400 INVALID_ARGUMENT JSON, a request id, and a closed connection", async () => {
    const malformed: Record<string, string | Buffer> = {
      'unknown method': 'FOO /v1/users/me HTTP/1.1\r\nHost: x\r\n\r\n',
      'bad Content-Length': 'POST /v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n',
      'duplicate Content-Length':
        'POST /v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}',
      'bad chunking':
        'POST /v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n',
      'NUL in a header': Buffer.from('GET /healthz HTTP/1.1\r\nHost: x\r\nX-Bad: a\u0000b\r\n\r\n', 'latin1'),
      'headers over 16 KiB': `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(17 * 1024)}\r\n\r\n`,
      'not HTTP at all': 'hello\r\n\r\n',
      'CONNECT (Node would close the socket unanswered)':
        'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n',
    };
    for (const [name, request] of Object.entries(malformed)) {
      const response = await send(request);
      expectContractError(response, 400, 'INVALID_ARGUMENT', name);
      expect(response.headers['x-request-id'], name).toMatch(UUID);
      expect(response.headers['connection'], name).toBe('close');
    }
  });

  it('answers a path that is not valid percent-encoding with 400 INVALID_ARGUMENT JSON', async () => {
    for (const path of ['/v1/users/%zz', '/v1/blogs/by-slug/%E0%A4%A', '/v1/posts/%']) {
      const response = await send(`GET ${path} HTTP/1.1\r\nHost: x\r\nX-Request-Id: edge-1\r\n\r\n`);
      expectContractError(response, 400, 'INVALID_ARGUMENT', path);
      expect(response.headers['x-request-id']).toBe('edge-1');
    }
  });

  it('answers an over-long path parameter with 400 INVALID_ARGUMENT JSON, never 414', async () => {
    for (const length of [101, 1000, 5000]) {
      const response = await send(`GET /v1/users/${'a'.repeat(length)} HTTP/1.1\r\nHost: x\r\n\r\n`);
      expectContractError(response, 400, 'INVALID_ARGUMENT', `param of ${length}`);
    }
    const slug = await send(`GET /v1/blogs/by-slug/${'a'.repeat(500)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(slug.body.error.details).toEqual([{ field: 'slug', message: expect.any(String) }]);
  });

  it('answers an HTTP/1.1 request without Host with 400 INVALID_ARGUMENT JSON', async () => {
    const response = await send('GET /healthz HTTP/1.1\r\n\r\n');
    expectContractError(response, 400, 'INVALID_ARGUMENT', 'no Host');
    expect(response.body.error.message).toContain('Host');
  });

  it('serves a request with an Expect header other than 100-continue instead of answering 417', async () => {
    const response = await send('GET /healthz HTTP/1.1\r\nHost: x\r\nExpect: the-impossible\r\n\r\n');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
    expect(response.headers['x-request-id']).toMatch(UUID);
    const proceed = await send(
      'POST /v1/auth/login HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n[]',
    );
    expectContractError(proceed, 400, 'INVALID_ARGUMENT', '100-continue');
  });
});

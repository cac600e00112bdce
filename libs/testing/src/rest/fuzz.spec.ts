import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { breakerStates, contractProblems, fuzzRoutes, wellFormed } from './fuzz';

describe('breakerStates', () => {
  it('reads every breaker, whatever other labels it carries', () => {
    const text = [
      '# HELP circuit_state State of each circuit breaker: 0 closed, 1 half-open, 2 open',
      'circuit_state{name="auth.Login",service="api-gateway"} 0',
      'circuit_state{service="api-gateway",name="user.UpdateUser"} 2',
      'circuit_state{name="blog.GetBlog"} 1',
      'circuit{name="auth.Login",event="fire"} 3',
    ].join('\n');
    expect(breakerStates(text)).toEqual({ 'auth.Login': 0, 'user.UpdateUser': 2, 'blog.GetBlog': 1 });
  });
});

describe('contractProblems', () => {
  const answer = (status: number, text: string, headers: Record<string, string> = {}) => ({
    status,
    text,
    headers: new Headers({
      'x-request-id': 'r1',
      'content-type': 'application/json; charset=utf-8',
      ...headers,
    }),
  });

  it('accepts a success and an error in the contract shape', () => {
    expect(contractProblems(answer(200, '{"ok":true}'))).toEqual([]);
    expect(
      contractProblems(
        answer(
          400,
          '{"error":{"code":"INVALID_ARGUMENT","message":"m","details":[{"field":"f","message":"x"}]}}',
        ),
      ),
    ).toEqual([]);
  });

  it('names a 5xx, a missing request id, a foreign error body and a code that does not match the status', () => {
    expect(contractProblems(answer(503, '{"error":{"code":"UNAVAILABLE","message":"m"}}'))).toEqual([
      'status 503',
    ]);
    expect(contractProblems({ status: 200, text: '', headers: new Headers() })).toEqual(['no X-Request-Id']);
    expect(contractProblems(answer(400, '{"statusCode":400,"error":"Bad Request"}'))[0]).toMatch(
      /^not \{"error"/,
    );
    expect(contractProblems(answer(414, '{"error":{"code":"INVALID_ARGUMENT","message":"m"}}'))).toEqual([
      'code INVALID_ARGUMENT with status 414',
    ]);
    expect(contractProblems(answer(400, ''))[0]).toMatch(/not JSON/);
  });
});

describe('wellFormed', () => {
  it('replaces lone surrogates and keeps pairs', () => {
    expect(wellFormed('a\ud800b\udc00c\ud83d\ude00')).toBe('a\ufffdb\ufffdc\ud83d\ude00');
  });
});

describe('fuzzRoutes', () => {
  it('fails on the first answer outside the contract, naming the request', async () => {
    // A server that answers every request with a bare 500: the runner must not pass it.
    const server = createServer((_request, response) => response.writeHead(500).end('boom'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const document = {
      paths: {
        '/v1/things/{id}': { get: { parameters: [{ name: 'id', in: 'path', schema: { type: 'string' } }] } },
      },
    };
    try {
      const failure = await fuzzRoutes(
        `http://127.0.0.1:${port}`,
        document as never,
        { ids: ['x'], slugs: [], tokens: [] },
        { runs: 5, timeLimitMs: 10_000 },
      ).then(
        () => undefined,
        (error: Error) => error,
      );
      expect(failure?.message).toMatch(/^Property failed[\s\S]*"path":"\/v1\/things\//);
      // fast-check keeps the runner's own error as the cause: the request and the bare answer it got.
      expect((failure?.cause as Error | undefined)?.message).toMatch(/^GET \/v1\/things\/\S* -> 500 boom: /);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

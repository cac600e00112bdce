// A flood of malformed requests of every kind a client can send, for the tests that prove no client can trip a circuit
// breaker: NUL characters in every text field the first fuzz found failing, wrong types, unknown fields, broken JSON,
// odd encodings and charsets, undecodable paths, over-long parameters, and malformed HTTP (sent raw: fetch refuses it).
import type { FuzzRequest } from './fuzz';

/** FloodTarget names real things of the system under test, so the bad requests reach the routes' handlers. */
export interface FloodTarget {
  readonly token: string;
  readonly blogId: string;
  readonly postId: string;
}

const json = (method: string, path: string, body: unknown, token?: string): FuzzRequest => ({
  method,
  path,
  headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

/** floodRequests is one round of malformed requests (send it several times: breakers open after a volume). */
export function floodRequests({ token, blogId, postId }: FloodTarget): FuzzRequest[] {
  const nul = 'a\u0000b';
  return [
    json('POST', '/v1/auth/login', { email: nul, password: 'whatever-1' }),
    json('POST', '/v1/auth/login', { email: `x${nul}@example.com`, password: nul }),
    json('POST', '/v1/accounts', { email: 'n@example.com', password: nul, nickname: 'nul_user' }),
    json('POST', '/v1/auth/refresh', { refreshToken: nul }),
    json('PATCH', '/v1/users/me', { bio: nul }, token),
    json('PATCH', `/v1/blogs/${blogId}`, { title: nul }, token),
    json('PATCH', `/v1/blogs/${blogId}`, { description: nul }, token),
    json('POST', `/v1/blogs/${blogId}/posts`, { title: nul, content: 'c' }, token),
    json('POST', `/v1/blogs/${blogId}/posts`, { title: 't', content: nul }, token),
    json('PATCH', `/v1/posts/${postId}`, { title: nul }, token),
    json('PATCH', `/v1/posts/${postId}`, { content: nul }, token),
    json('POST', '/v1/auth/login', { email: 12, password: ['x'] }),
    json('POST', '/v1/auth/login', { email: 'a@example.com', password: 'x'.repeat(10), admin: true }),
    json('POST', '/v1/auth/login', '{"email": "a@example.com",'),
    json('POST', '/v1/auth/login', '{"__proto__": {"polluted": 1}}'),
    json('PATCH', '/v1/users/me', { bio: '\ud800 lone surrogate' }, token),
    json('PATCH', '/v1/users/me', { bio: 'x'.repeat(501) }, token),
    {
      ...json('POST', '/v1/auth/login', { email: 'a@example.com', password: 'whatever-1' }),
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    },
    {
      ...json('POST', '/v1/auth/login', { email: 'a@example.com', password: 'whatever-1' }),
      headers: { 'content-type': 'application/json', 'content-encoding': 'zstd-ish' },
    },
    {
      ...json('POST', '/v1/auth/login', { email: 'a@example.com', password: 'whatever-1' }),
      headers: { 'content-type': 'application/json; charset=latin1' },
    },
    { method: 'GET', path: '/v1/users/%zz', headers: {} },
    { method: 'GET', path: `/v1/users/${'a'.repeat(3000)}`, headers: {} },
    { method: 'GET', path: '/v1/blogs/by-slug/a%00b', headers: {} },
    {
      method: 'GET',
      path: '/v1/users/me/feed?limit=1e400&cursor=%00',
      headers: { authorization: `Bearer ${token}` },
    },
    { method: 'GET', path: `/v1/blogs/${blogId}/posts?cursor=${'%ff'.repeat(50)}`, headers: {} },
    { method: 'GET', path: '/v1/users/me', headers: { authorization: 'Bearer a.b.c' } },
  ];
}

/** MALFORMED_HTTP are requests Node's HTTP parser refuses, or that it would answer itself (no Host, Expect). */
export const MALFORMED_HTTP: readonly string[] = [
  'FOO /v1/users/me HTTP/1.1\r\nHost: x\r\n\r\n',
  'POST /v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n',
  'POST /v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}',
  'POST /v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n',
  'GET /healthz HTTP/1.1\r\nHost: x\r\nX-Bad: a\u0000b\r\n\r\n',
  `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(17 * 1024)}\r\n\r\n`,
  'GET /v1/users/me HTTP/1.1\r\n\r\n',
  'POST /v1/auth/login HTTP/1.1\r\nHost: x\r\nExpect: the-impossible\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}',
  'hello\r\n\r\n',
  'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n',
  'GET /v1/users/me HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n',
];

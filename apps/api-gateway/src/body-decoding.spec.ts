// Request bodies: Content-Encoding is decoded (gzip, deflate, br) or refused with 415 naming it; the charset must be
// UTF-8 (415 naming it otherwise) and the bytes valid UTF-8 (400); the 1 MiB limit holds for the decoded body.
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { charsetOf } from './body-decoding';
import type { TestUser } from './testing/fixtures';
import { type Harness, startHarness } from './testing/harness';

describe('charsetOf', () => {
  it('reads the parameter in any case, quoted or not', () => {
    expect(charsetOf('application/json')).toBeUndefined();
    expect(charsetOf('application/json; charset=UTF-8')).toBe('utf-8');
    expect(charsetOf('application/json;Charset="latin1"')).toBe('latin1');
    expect(charsetOf(undefined)).toBeUndefined();
  });
});

describe('request body decoding', () => {
  let harness: Harness;
  let user: TestUser;
  let login: Buffer;
  beforeAll(async () => {
    harness = await startHarness();
    user = await harness.fixtures.user();
    login = Buffer.from(JSON.stringify({ email: user.email, password: user.password }));
  });
  afterAll(() => harness.close());

  const post = (body: Uint8Array, headers: Record<string, string>) =>
    harness.http.request('POST', '/v1/auth/login', {
      body,
      headers: { 'content-type': 'application/json', ...headers },
    });

  it('decodes gzip, deflate and br bodies, in any case of the coding name', async () => {
    for (const [encoding, body] of [
      ['gzip', gzipSync(login)],
      ['GZip', gzipSync(login)],
      ['deflate', deflateSync(login)],
      ['br', brotliCompressSync(login)],
      ['identity', login],
    ] as const) {
      const response = await post(body, { 'content-encoding': encoding });
      expect(response.status, `${encoding}: ${response.text}`).toBe(200);
      expect(response.body.userId).toBe(user.accountId);
    }
  });

  it('refuses a body labelled gzip that is not gzip with 400 saying so', async () => {
    const response = await post(login, { 'content-encoding': 'gzip' });
    expect(response.status).toBe(400);
    expect(response.body.error).toEqual({
      code: 'INVALID_ARGUMENT',
      message: 'request body is not valid gzip data',
    });
  });

  it('refuses an unknown coding with 415 naming it', async () => {
    for (const encoding of ['compress', 'x-custom', 'gzip, br']) {
      const response = await post(login, { 'content-encoding': encoding });
      expect(response.status, encoding).toBe(415);
      expect(response.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      expect(response.body.error.message).toContain(`"${encoding}"`);
    }
  });

  it('answers 413 for a small compressed body that decodes past 1 MiB (zip bomb)', async () => {
    const bomb = gzipSync(Buffer.from(JSON.stringify({ email: 'a'.repeat(8 * 1024 * 1024), password: 'x' })));
    expect(bomb.length).toBeLessThan(64 * 1024);
    const response = await post(bomb, { 'content-encoding': 'gzip' });
    expect(response.status).toBe(413);
    expect(response.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('accepts UTF-8 however it is written, refuses other charsets with 415 naming them', async () => {
    for (const contentType of [
      'application/json; charset=utf-8',
      'application/json; charset="UTF-8"',
      'application/json;charset=utf8',
    ]) {
      expect((await post(login, { 'content-type': contentType })).status, contentType).toBe(200);
    }
    for (const charset of ['latin1', 'iso-8859-1', 'utf-16']) {
      const response = await post(login, { 'content-type': `application/json; charset=${charset}` });
      expect(response.status, charset).toBe(415);
      expect(response.body.error).toEqual({
        code: 'UNSUPPORTED_MEDIA_TYPE',
        message: `charset "${charset}" is not supported; send UTF-8`,
      });
    }
  });

  it('refuses bytes that are not valid UTF-8 with 400 rather than storing U+FFFD', async () => {
    const latin1 = Buffer.from('{"bio": "caf\u00e9"}', 'latin1');
    const response = await harness.http.request('PATCH', '/v1/users/me', {
      body: latin1,
      token: user.accessToken,
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(400);
    expect(response.body.error).toEqual({
      code: 'INVALID_ARGUMENT',
      message: 'request body is not valid UTF-8',
    });
  });
});

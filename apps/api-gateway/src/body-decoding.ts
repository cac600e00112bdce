// How a request body becomes JSON: its Content-Encoding is undone first (gzip, deflate, br; @fastify/compress's
// request decompression), its charset must be UTF-8 and its bytes valid UTF-8, then it is parsed like Fastify does
// (prototype poisoning refused). The 1 MiB limit applies to the decoded body, so a small zip bomb is still 413.
import compress from '@fastify/compress';
import type { FastifyInstance } from 'fastify';
import { ApiError } from './errors';

/** REQUEST_ENCODINGS are the Content-Encoding values a request body may have. */
export const REQUEST_ENCODINGS = ['gzip', 'deflate', 'br', 'identity'] as const;

/** registerBodyDecoding installs request decompression and the strict UTF-8 JSON parser; call before the routes. */
export async function registerBodyDecoding(app: FastifyInstance): Promise<void> {
  // Content codings are case-insensitive (RFC 9110 8.4.1); the plugin compares them as written.
  app.addHook('onRequest', (request, _reply, done) => {
    const encoding = request.headers['content-encoding'];
    if (encoding !== undefined) request.headers['content-encoding'] = encoding.trim().toLowerCase();
    done();
  });
  await app.register(compress, {
    globalCompression: false, // answers are small JSON; only request bodies are decoded
    globalDecompression: true,
    requestEncodings: [...REQUEST_ENCODINGS],
    onUnsupportedRequestEncoding: (encoding) =>
      new ApiError(
        'UNSUPPORTED_MEDIA_TYPE',
        `Content-Encoding "${encoding}" is not supported; use ${REQUEST_ENCODINGS.join(', ')}`,
      ),
    // The plugin copies the enumerable fields of what this returns onto zlib's error, which then reaches the error
    // handler as a 400: so a plain object of message and status, not an ApiError (whose message is not enumerable).
    onInvalidRequestPayload: (encoding) =>
      Object.assign(new Error(), { message: `request body is not valid ${encoding} data`, statusCode: 400 }),
  });

  const parseJson = app.getDefaultJsonParser('error', 'error');
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const charset = charsetOf(request.headers['content-type']);
    if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
      done(
        new ApiError('UNSUPPORTED_MEDIA_TYPE', `charset "${charset}" is not supported; send UTF-8`),
        undefined,
      );
      return;
    }
    let text: string;
    try {
      text = utf8.decode(body as Buffer);
    } catch (error) {
      // Decoding leniently would store U+FFFD in place of the client's text, silently.
      done(new ApiError('INVALID_ARGUMENT', 'request body is not valid UTF-8', { cause: error }), undefined);
      return;
    }
    parseJson(request, text, done);
  });
}

/** charsetOf reads the charset parameter of a Content-Type, lower-cased and unquoted (undefined when absent). */
export function charsetOf(contentType: string | undefined): string | undefined {
  const match = /;\s*charset\s*=\s*("([^"]*)"|[^;\s]*)/i.exec(contentType ?? '');
  if (!match) return undefined;
  return (match[2] ?? match[1] ?? '').trim().toLowerCase();
}

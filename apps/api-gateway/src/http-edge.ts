// The answers the gateway gives before a request reaches a route: requests Node's HTTP parser refuses, URLs Fastify's
// router cannot decode, a missing Host header, an Expect header. Each gets the contract's error JSON and an
// X-Request-Id like every other answer, where Node and Fastify would answer their own bodies (or none) and statuses the
// contract does not have (414, 417, 431).
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, errorBody, sendError } from './errors';

/** MAX_PARAM_LENGTH is the longest path parameter the router matches; longer ones are 400 before any route runs. */
export const MAX_PARAM_LENGTH = 1024;

// Node's parser errors (llhttp's HPE_* codes and Node's own timeouts), in words a client can act on.
const PARSER_MESSAGES: Readonly<Record<string, string>> = {
  HPE_HEADER_OVERFLOW: 'request headers are larger than 16 KiB',
  HPE_INVALID_METHOD: 'unknown HTTP method',
  HPE_INVALID_CONTENT_LENGTH: 'invalid Content-Length header',
  HPE_UNEXPECTED_CONTENT_LENGTH:
    'Content-Length and Transfer-Encoding, or two Content-Length headers, must not be combined',
  HPE_INVALID_CHUNK_SIZE: 'invalid chunked encoding',
  HPE_INVALID_TRANSFER_ENCODING: 'invalid Transfer-Encoding header',
  HPE_INVALID_HEADER_TOKEN: 'invalid character in a header',
  HPE_INVALID_VERSION: 'unsupported HTTP version',
  ERR_HTTP_REQUEST_TIMEOUT: 'the request was not received in time',
  ERR_HTTP_HEADERS_TIMEOUT: 'the request headers were not received in time',
};

/**
 * clientErrorHandler answers a request Node's HTTP parser refused (Fastify's `clientErrorHandler` option): always 400
 * INVALID_ARGUMENT, the contract's status for a malformed request, headers too large (Node's 431) and a request too
 * slow (Node's 408) included, with a fresh X-Request-Id, then closes the connection, which cannot be parsed further.
 */
export function clientErrorHandler(
  this: FastifyInstance,
  error: Error & { code?: string },
  socket: Socket,
): void {
  // A reset connection has nobody to answer; a response already under way cannot be replaced (Node's own rule).
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (error.code === 'ECONNRESET' || socket.destroyed || !socket.writable || inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  const message = PARSER_MESSAGES[error.code ?? ''] ?? 'malformed HTTP request';
  refuseOnSocket(this, socket, message, { code: error.code });
}

// Writes a 400 INVALID_ARGUMENT in the contract's shape straight to a socket Fastify never got a request for, then
// closes it: the connection cannot carry another request after what was sent on it.
function refuseOnSocket(
  app: FastifyInstance,
  socket: Duplex,
  message: string,
  log: Record<string, unknown>,
): void {
  const requestId = randomUUID();
  app.log.info({ requestId, ...log, reason: message }, 'request refused before routing');
  const body = JSON.stringify(errorBody(new ApiError('INVALID_ARGUMENT', message)));
  socket.end(
    [
      `HTTP/1.1 400 ${STATUS_CODES[400]}`,
      'Content-Type: application/json; charset=utf-8',
      `Content-Length: ${Buffer.byteLength(body)}`,
      `X-Request-Id: ${requestId}`,
      'Connection: close',
      '',
      body,
    ].join('\r\n'),
    () => socket.destroy(),
  );
}

/**
 * frameworkErrors answers what Fastify's router refuses before any hook runs (the `frameworkErrors` option): a path
 * that is not valid percent-encoding and a path parameter over MAX_PARAM_LENGTH are 400 INVALID_ARGUMENT (Fastify
 * would say 400 and 414 in its own shape).
 */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const message =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? `a path segment is longer than ${MAX_PARAM_LENGTH} characters`
      : error.code === 'FST_ERR_BAD_URL'
        ? 'the path is not valid percent-encoding'
        : 'malformed request';
  request.log.info({ code: error.code, reason: message }, 'request refused by the router');
  reply.header('x-request-id', request.id);
  void sendError(reply, new ApiError('INVALID_ARGUMENT', message, { cause: error }));
}

/**
 * registerHttpEdge adds what needs the app itself: an HTTP/1.1 request without Host (Node's parser is told to let it
 * through, see buildApp) is 400 in the contract's shape, and an Expect header other than 100-continue is ignored and
 * the request served (RFC 9110 allows either that or 417, a status the contract does not have), and CONNECT is 400.
 */
export function registerHttpEdge(app: FastifyInstance): void {
  // Node hands CONNECT (a proxy tunnel) to a 'connect' listener and, without one, closes the socket unanswered.
  app.server.on('connect', (request: IncomingMessage, socket: Duplex) =>
    refuseOnSocket(app, socket, 'CONNECT is not supported: this is not a proxy', { method: request.method }),
  );
  app.server.on('checkExpectation', (request: IncomingMessage, response: ServerResponse) =>
    app.routing(request, response),
  );
  app.addHook('onRequest', (request, _reply, done) => {
    if (request.raw.httpVersion === '1.1' && request.headers.host === undefined) {
      done(new ApiError('INVALID_ARGUMENT', 'the Host header is required (HTTP/1.1)'));
      return;
    }
    done();
  });
}

// The API's security headers (helmet's: Content-Security-Policy, X-Content-Type-Options, X-Frame-Options, ...), worked
// out once by helmet itself and set on every reply as a fixed set. @fastify/helmet built a new helmet middleware per
// request (parsing the CSP directives again each time), a few percent of a request's CPU for the same headers on every
// answer; the gateway uses none of its per-route or nonce features.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

/** securityHeadersOf returns the headers helmet sets with `options`, by running its middleware once. */
export function securityHeadersOf(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: string | number | readonly string[]) => {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()];
    },
  } as unknown as ServerResponse;
  let failed: unknown;
  // helmet's middleware is synchronous: next() has run when it returns.
  void helmet(options)({} as IncomingMessage, response, (error?: unknown) => (failed = error));
  if (failed) throw failed;
  return headers;
}

/** registerSecurityHeaders sets the API's security headers on every reply (routes such as /docs may replace them). */
export function registerSecurityHeaders(app: FastifyInstance, options: HelmetOptions): void {
  const headers = securityHeadersOf(options);
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
    done();
  });
}

// buildApp makes the Fastify instance from injected parts (clients, verifier, readiness, ...), so tests build it with
// clients pointed at their own gRPC servers. main.ts does the wiring from the environment.
import { randomUUID } from 'node:crypto';
import type { Logger } from '@blog/framework/core';
import cors from '@fastify/cors';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { Registry } from 'prom-client';
import type { AccessTokenVerifier, AccountStatusChecker } from './auth/auth';
import { registerAuthentication } from './auth/authenticate';
import type { GatewayClients } from './clients';
import type { ViewRecorder } from './composition/view-recorder';
import { registerBodyDecoding } from './body-decoding';
import { registerHttpCaching, type ResponseCacheSettings } from './caching/http-cache';
import { registerErrorHandling } from './errors';
import { clientErrorHandler, frameworkErrors, MAX_PARAM_LENGTH, registerHttpEdge } from './http-edge';
import { registerHttpMetrics } from './observability/http-metrics';
import { registerRequestContext, requestIdOf } from './observability/request-context';
import { registerRequestLog } from './observability/request-log';
import { type RateLimitSettings, registerRateLimits } from './rate-limit';
import type { DownstreamReadiness } from './readiness';
import { accountRoutes } from './routes/accounts';
import { blogRoutes } from './routes/blogs';
import { operationRoutes } from './routes/operations';
import { postRoutes } from './routes/posts';
import { statsRoutes } from './routes/stats';
import { feedStreamRoutes } from './routes/feed-stream';
import { subscriptionRoutes } from './routes/subscriptions';
import { userRoutes } from './routes/users';
import { registerSecurityHeaders } from './security-headers';
import { validatorCompiler } from './validation';

/** BODY_LIMIT_BYTES is the largest request body accepted (1 MiB); larger ones get 413. */
export const BODY_LIMIT_BYTES = 1024 * 1024;

/** AppDeps are everything the app needs, built by main.ts (or by a test). */
export interface AppDeps {
  readonly logger: Logger;
  readonly metrics: Registry;
  readonly clients: GatewayClients;
  readonly verifier: AccessTokenVerifier;
  readonly accounts: AccountStatusChecker;
  readonly readiness: DownstreamReadiness;
  readonly views: ViewRecorder;
  readonly rateLimit: RateLimitSettings;
  /** corsOrigins: allowed origins, ['*'] for any; CORS is off when absent or empty. */
  readonly corsOrigins?: readonly string[];
  /** trustProxy: take the client address from X-Forwarded-For. */
  readonly trustProxy?: boolean;
  /** responseCache turns on the short-lived cache of public reads (caching/http-cache.ts); off when absent. */
  readonly responseCache?: ResponseCacheSettings;
  /** requestLogSampleRate: share of successful requests logged at info (observability/request-log.ts; default 0). */
  readonly requestLogSampleRate?: number;
  /** defaultDeadlineMs bounds a route's downstream work unless the route sets its own (default 5000). */
  readonly defaultDeadlineMs?: number;
  readonly version?: string;
}

/** EXPOSED_HEADERS are the response headers a browser client may read. */
const EXPOSED_HEADERS = [
  'x-request-id',
  'traceparent',
  'x-partial-response',
  'retry-after',
  'x-ratelimit-limit',
  'x-ratelimit-remaining',
  'x-ratelimit-reset',
];

/** buildApp builds the gateway; call `.listen()` on the result, or `.inject()` in tests. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    // Fastify's own logger type is the structural pino subset; our pino logger is one.
    loggerInstance: deps.logger as FastifyBaseLogger,
    // One access line per request, cheap for successes (observability/request-log.ts), instead of Fastify's two.
    logController: new LogController({ requestIdLogLabel: 'requestId', disableRequestLogging: true }),
    genReqId: (request) => requestIdOf(request.headers['x-request-id'], randomUUID),
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: deps.trustProxy ?? false,
    exposeHeadRoutes: true,
    // Malformed HTTP, undecodable URLs and over-long path parameters get the contract's error JSON (http-edge.ts);
    // a missing Host reaches the app so that its 400 does too.
    clientErrorHandler,
    frameworkErrors,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    http: { requireHostHeader: false },
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(validatorCompiler());
  // JSON only: a text/plain body is refused with 415 instead of reaching a handler as a string.
  app.removeContentTypeParser(['text/plain']);

  // Order matters: the request context first (every later hook and log line has the request id), then the limits
  // and authentication, all before routes are added (onRoute wraps their handlers).
  registerRequestContext(app, { defaultDeadlineMs: deps.defaultDeadlineMs ?? 5000 });
  registerErrorHandling(app);
  registerHttpEdge(app);
  registerHttpMetrics(app, deps.metrics);
  registerRequestLog(app, { sampleRate: deps.requestLogSampleRate });
  registerSecurityHeaders(app, {
    // A JSON API needs no content: the API's own answers allow nothing to load or frame them; /docs sets its own.
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
    },
  });
  if (deps.corsOrigins && deps.corsOrigins.length > 0) {
    await app.register(cors, {
      origin: deps.corsOrigins.includes('*') ? '*' : [...deps.corsOrigins],
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
      exposedHeaders: EXPOSED_HEADERS,
      maxAge: 600,
    });
  }
  await registerBodyDecoding(app);
  await registerRateLimits(app, deps.rateLimit);
  registerAuthentication(app, { verifier: deps.verifier, accounts: deps.accounts });
  // After authentication (a cached public answer is served only once the request is known to be anonymous-safe).
  registerHttpCaching(app, { metrics: deps.metrics, responseCache: deps.responseCache });
  await registerOpenApi(app, deps.version ?? '0.0.0');

  const routeDeps = { clients: deps.clients, accounts: deps.accounts, views: deps.views };
  await app.register(accountRoutes, routeDeps);
  await app.register(userRoutes, routeDeps);
  await app.register(blogRoutes, routeDeps);
  await app.register(postRoutes, routeDeps);
  await app.register(statsRoutes, routeDeps);
  await app.register(subscriptionRoutes, routeDeps);
  await app.register(feedStreamRoutes, routeDeps);
  await app.register(operationRoutes, { readiness: deps.readiness, metrics: deps.metrics });
  return app;
}

async function registerOpenApi(app: FastifyInstance, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Blog platform API',
        version,
        description:
          'Errors are {"error": {"code", "message", "details?"}}; code is the gRPC status name. Every response carries X-Request-Id.',
      },
      components: {
        securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      },
    },
  });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    staticCSP: true,
    // The UI's own policy, minus upgrade-insecure-requests: the gateway is served over plain HTTP on 127.0.0.1.
    transformStaticCSP: (header) => header.replace(/\s*upgrade-insecure-requests;?/, ''),
  });
}

// Operations: liveness, readiness, Prometheus metrics and the OpenAPI document.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Registry } from 'prom-client';
import type { DownstreamReadiness } from '../readiness';
import { errorResponses } from '../schemas/common';
import { Health, Readiness } from '../schemas/operations';

/** OperationsDeps are what the operations routes read. */
export interface OperationsDeps {
  readonly readiness: DownstreamReadiness;
  readonly metrics: Registry;
}

const tags = ['operations'];

/** operationRoutes: /healthz, /readyz, /metrics, /openapi.json. */
export const operationRoutes: FastifyPluginAsyncTypebox<OperationsDeps> = async (
  app,
  { readiness, metrics },
) => {
  app.get(
    '/healthz',
    {
      schema: {
        tags,
        summary: 'Liveness: the process answers',
        response: { 200: Health, ...errorResponses() },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        tags,
        summary: 'Readiness: token keys loaded and every downstream service SERVING',
        response: { ...errorResponses(), 200: Readiness, 503: Readiness },
      },
    },
    async (_request, reply) => {
      const report = await readiness.check();
      return reply
        .code(report.status === 'ok' ? 200 : 503)
        .header('cache-control', 'no-store')
        .send(report);
    },
  );

  app.get(
    '/metrics',
    {
      schema: {
        tags,
        summary: 'Prometheus metrics (text format)',
        response: {
          200: {
            description: 'the Prometheus text exposition format',
            content: { 'text/plain': { schema: { type: 'string' } } },
          },
          ...errorResponses(),
        },
      },
    },
    async (_request, reply) =>
      reply
        .header('cache-control', 'no-store')
        .type(metrics.contentType)
        .send(await metrics.metrics()),
  );

  app.get(
    '/openapi.json',
    {
      schema: {
        tags,
        summary: 'This OpenAPI 3 document (GET /docs serves a browsable page of it)',
        response: {
          // additionalProperties: the serializer must pass the document through whole.
          200: {
            description: 'an OpenAPI 3.0 document',
            content: { 'application/json': { schema: { type: 'object', additionalProperties: true } } },
          },
          ...errorResponses(),
        },
      },
    },
    async () => app.swagger() as unknown as Record<string, unknown>,
  );
};

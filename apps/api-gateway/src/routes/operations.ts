// Operations: liveness, readiness, Prometheus metrics and the OpenAPI document.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Registry } from 'prom-client';
import type { DownstreamReadiness } from '../readiness';
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
    { schema: { tags, summary: 'Liveness: the process answers', response: { 200: Health } } },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        tags,
        summary: 'Readiness: token keys loaded and every downstream service SERVING',
        response: { 200: Readiness, 503: Readiness },
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
    { schema: { tags, summary: 'Prometheus metrics (text format)' } },
    async (_request, reply) =>
      reply
        .header('cache-control', 'no-store')
        .type(metrics.contentType)
        .send(await metrics.metrics()),
  );

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
};

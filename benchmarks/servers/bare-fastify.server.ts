// Baseline server: a bare Fastify app (defaults: no logger, no plugins) serving GET /healthz with the gateway's JSON
// and response schema, the floor any Fastify app with hooks and plugins stands on.
import Fastify from 'fastify';
import { announce } from '../support/child';

const app = Fastify();
app.get(
  '/healthz',
  {
    schema: {
      response: {
        200: { type: 'object', properties: { status: { type: 'string' } }, required: ['status'] },
      },
    },
  },
  async () => ({ status: 'ok' }),
);
app.listen({ host: '127.0.0.1', port: 0 }).then(() => {
  const address = app.server.address();
  announce({ port: typeof address === 'object' && address ? address.port : 0 });
});

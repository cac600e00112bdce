// Baseline server: node:http answering GET /healthz with the gateway's JSON and nothing else (no routing, no hooks).
import { createServer } from 'node:http';
import { announce } from '../support/child';

const body = JSON.stringify({ status: 'ok' });
const server = createServer((request, response) => {
  if (request.url === '/healthz') {
    response.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': body.length,
    });
    response.end(body);
    return;
  }
  response.writeHead(404).end();
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  announce({ port: typeof address === 'object' && address ? address.port : 0 });
});

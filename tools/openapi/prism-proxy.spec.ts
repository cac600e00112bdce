// The validator catches a lying document: a tiny HTTP server answers, a document describes it, and Prism's proxy
// between them reports every difference (a missing field, an undeclared status, a body on a bodiless 204, a required
// query parameter the server does without), while the true document gets zero findings for the same traffic.
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractViolations, type ContractViolation, startPrismProxy } from './prism-proxy';

const error = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string' }, message: { type: 'string' } },
    },
  },
};
const json = (schema: object) => ({ content: { 'application/json': { schema } } });

/** trueDocument describes the server below as it behaves. */
const trueDocument = {
  openapi: '3.0.3',
  info: { title: 'fixture', version: '1' },
  paths: {
    '/things': {
      get: {
        parameters: [
          { name: 'limit', in: 'query', required: false, schema: { type: 'integer', default: 20 } },
        ],
        responses: {
          200: {
            description: 'ok',
            ...json({ type: 'object', required: ['items'], properties: { items: { type: 'array' } } }),
          },
          400: { description: 'bad', ...json(error) },
        },
      },
    },
    '/things/{id}': {
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
      get: {
        responses: {
          200: {
            description: 'ok',
            ...json({ type: 'object', required: ['id'], properties: { id: { type: 'string' } } }),
          },
          404: { description: 'none', ...json(error) },
        },
      },
      delete: { responses: { 204: { description: 'gone' } } },
    },
  },
};

/** lies are the ways a document can lie about the server, each with what the validator must say. */
const lies: Array<{ name: string; edit: (doc: typeof trueDocument) => void; finding: RegExp }> = [
  {
    name: 'a required query parameter the server defaults',
    edit: (doc) => {
      for (const parameter of doc.paths['/things'].get.parameters) parameter.required = true;
    },
    finding: /limit/,
  },
  {
    name: 'a field the server never sends',
    edit: (doc) => {
      const ok = doc.paths['/things/{id}'].get.responses[200] as {
        content: { 'application/json': { schema: { required: string[] } } };
      };
      ok.content['application/json'].schema.required.push('owner');
    },
    finding: /owner/,
  },
  {
    name: 'an error status the route does not declare',
    edit: (doc) => {
      delete (doc.paths['/things/{id}'].get.responses as Record<string, unknown>)[404];
    },
    finding: /status code|404/i,
  },
  {
    name: 'a JSON body declared on a bodiless 204',
    edit: (doc) => {
      (doc.paths['/things/{id}'].delete.responses as Record<string, unknown>)[204] = {
        description: 'gone',
        ...json({ type: 'object', required: ['deleted'], properties: { deleted: { type: 'boolean' } } }),
      };
    },
    finding: /./,
  },
];

let server: Server;
let upstream: string;
const workDir = mkdtempSync(join(tmpdir(), 'prism-spec-'));

beforeAll(async () => {
  server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    const send = (status: number, body?: unknown) => {
      response.writeHead(status, body === undefined ? {} : { 'content-type': 'application/json' });
      response.end(body === undefined ? undefined : JSON.stringify(body));
    };
    if (url.pathname === '/things') return send(200, { items: [] });
    if (url.pathname === '/things/1' && request.method === 'GET') return send(200, { id: '1' });
    if (url.pathname === '/things/1' && request.method === 'DELETE') return send(204);
    return send(404, { error: { code: 'NOT_FOUND', message: 'no such thing' } });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  upstream = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(async () => {
  await new Promise((done) => server.close(done));
  rmSync(workDir, { recursive: true, force: true });
});

/** traffic sends the same requests through a proxy of `document` and returns what the validator found. */
async function traffic(document: object): Promise<ContractViolation[]> {
  const file = join(workDir, `doc-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(document));
  const proxy = await startPrismProxy({ document: file, upstream });
  try {
    const found: ContractViolation[] = [];
    for (const [method, path] of [
      ['GET', '/things'],
      ['GET', '/things/1'],
      ['GET', '/things/2'],
      ['DELETE', '/things/1'],
    ] as const) {
      const response = await fetch(`${proxy.url}${path}`, { method });
      await response.arrayBuffer();
      found.push(
        ...contractViolations(
          { method, path, status: response.status },
          response.headers.get('sl-violations'),
        ),
      );
    }
    return found;
  } finally {
    await proxy.close();
  }
}

describe('Prism proxy validation', () => {
  it('finds nothing when the document tells the truth', async () => {
    expect(await traffic(trueDocument)).toEqual([]);
  });

  for (const lie of lies) {
    it(`catches ${lie.name}`, async () => {
      const lying = structuredClone(trueDocument);
      lie.edit(lying);
      const found = await traffic(lying);
      expect(found.map((violation) => violation.message).join('\n')).toMatch(lie.finding);
    });
  }

  it('ignores a request finding on a request the server refused as well', () => {
    const header = JSON.stringify([
      { location: ['request', 'body'], severity: 'Error', message: 'bad body' },
    ]);
    expect(contractViolations({ method: 'POST', path: '/x', status: 400 }, header)).toEqual([]);
    expect(contractViolations({ method: 'POST', path: '/x', status: 202 }, header)).toHaveLength(1);
  });
});

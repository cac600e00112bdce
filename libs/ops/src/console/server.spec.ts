import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpsError } from '../errors';
import { Ops } from '../ops';
import type { OpsTarget } from '../target';
import { startConsole, type RunningConsole } from './server';

// A target whose Kafka and PostgreSQL refuse connections (port 1): the HTTP layer is under test, not the stack.
const target: OpsTarget = {
  kafkaBrokers: ['127.0.0.1:1'],
  databaseUrl: 'postgres://nobody:x@127.0.0.1:1/none',
  services: [],
  traceViewerUrl: 'http://127.0.0.1:9411',
  stuckAfterMs: 1000,
  actor: 'test',
};

describe('console server', () => {
  let web: RunningConsole;
  let ops: Ops;
  beforeAll(async () => {
    ops = new Ops(target, `${__dirname}/../../../..`);
    web = await startConsole({ ops, host: '127.0.0.1', port: 0, token: 'secret-token' });
  });
  afterAll(async () => {
    await web?.close();
    await ops?.close();
  });

  it('refuses a non-loopback bind without a token', async () => {
    await expect(startConsole({ ops, host: '0.0.0.0', port: 0 })).rejects.toBeInstanceOf(OpsError);
  });

  it('serves the page and answers unknown routes with the contract error', async () => {
    expect((await fetch(`${web.url}/`)).headers.get('content-type')).toMatch(/text\/html/);
    const res = await fetch(`${web.url}/api/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'no route GET /api/nope' } });
  });

  it('refuses writes without the token', async () => {
    const res = await fetch(`${web.url}/api/dlq/events.user.profile.dlq:0:1/redrive`, { method: 'POST' });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('UNAUTHENTICATED');
  });

  it('says which part is down in one line, as 503', async () => {
    const res = await fetch(`${web.url}/api/dlq`);
    expect(res.status).toBe(503);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('UNAVAILABLE');
    expect(body.error.message).toMatch(/^Kafka \(127\.0\.0\.1:1\) is not reachable/);
  });
});

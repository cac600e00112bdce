import { Counter, Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { checkReadiness, startAdminServer, type AdminServer } from './index';

const servers: AdminServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('checkReadiness', () => {
  it('is ready only when every check passes, and reports why the others fail', async () => {
    const report = await checkReadiness([
      { name: 'database', ready: () => true },
      { name: 'broker', ready: async () => false },
      {
        name: 'cache',
        ready: () => {
          throw new Error('connection refused');
        },
      },
    ]);
    expect(report).toEqual({
      ready: false,
      checks: [
        { name: 'database', ok: true },
        { name: 'broker', ok: false, error: 'not ready' },
        { name: 'cache', ok: false, error: 'connection refused' },
      ],
    });
    expect((await checkReadiness([{ name: 'database', ready: () => true }])).ready).toBe(true);
  });

  it('treats a check that never answers as not ready instead of hanging the probe', async () => {
    const report = await checkReadiness(
      [{ name: 'stuck', ready: () => new Promise<boolean>(() => undefined) }],
      20,
    );
    expect(report).toEqual({
      ready: false,
      checks: [{ name: 'stuck', ok: false, error: 'no answer within 20 ms' }],
    });
  });
});

describe('admin server', () => {
  it('serves the probes and metrics, and nothing else', async () => {
    const metrics = new Registry();
    metrics.setDefaultLabels({ service: 'probe' });
    new Counter({ name: 'probe_total', help: 'probe counter', registers: [metrics] });
    const admin = await startAdminServer({
      host: '127.0.0.1',
      port: 0,
      metrics,
      readiness: async () => ({ ready: false, checks: [{ name: 'database', ok: false, error: 'down' }] }),
    });
    servers.push(admin);
    const base = `http://127.0.0.1:${admin.port}`;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({
      status: 'not ready',
      checks: [{ name: 'database', ok: false, error: 'down' }],
    });
    expect(await (await fetch(`${base}/metrics`)).text()).toContain('probe_total{service="probe"} 0');
    expect((await fetch(`${base}/metrics`, { method: 'POST' })).status).toBe(405);
    expect((await fetch(`${base}/`)).status).toBe(404);
  });
});

// Test support: the gateway assembled by createGateway (as main.ts does) over a FakeBackend, listening on
// 127.0.0.1:0, with a recording logger. Breaker, retry and key timings are shortened so fault tests run fast.
import { StaticRegistry } from '@blog/framework/core';
import pino from 'pino';
import { Registry } from 'prom-client';
import { Writable } from 'node:stream';
import { createGateway, type Gateway, type GatewaySettings } from '../gateway';
import { FakeBackend } from './fake-backend';
import { FakeWorld } from './fake-world';
import { AUDIENCE, ISSUER } from './signing-key';
import { Fixtures } from './fixtures';
import { eventually, Http } from './http';

/** HarnessOptions adjust the gateway's settings, or prepare the backend before the gateway starts. */
export interface HarnessOptions {
  readonly settings?: Partial<GatewaySettings>;
  /** beforeGateway runs after the fake services started and before the gateway is created. */
  readonly beforeGateway?: (backend: FakeBackend) => Promise<void>;
  /** waitForKeys: wait until the gateway has loaded the token keys (default true). */
  readonly waitForKeys?: boolean;
  /** addresses replace `<NAME>_SERVICE_ADDR` entries of the gateway's registry, e.g. to point one at a dead end. */
  readonly addresses?: Record<string, string>;
}

/** Harness is a running gateway over fakes. */
export interface Harness {
  readonly baseUrl: string;
  readonly http: Http;
  readonly fixtures: Fixtures;
  readonly backend: FakeBackend;
  readonly world: FakeWorld;
  readonly gateway: Gateway;
  readonly metrics: Registry;
  /** logs are the gateway's JSON log lines. */
  readonly logs: Array<Record<string, unknown>>;
  /** metric reads a counter or gauge of the gateway, e.g. metric('circuit', {name: 'user.GetUser', event: 'reject'}) (0 when absent). */
  metric(name: string, labels: Record<string, string>): Promise<number>;
  close(): Promise<void>;
}

/** TEST_SETTINGS are the harness defaults: limits out of the way, quick breaker and key timings. */
export const TEST_SETTINGS: GatewaySettings = {
  rateLimitPerMinute: 100_000,
  authRateLimitPerMinute: 100_000,
  jwtIssuer: ISSUER,
  jwtAudience: AUDIENCE,
  viewerHashSalt: 'gateway-test-salt-0123456789',
  accountStatusTtlMs: 1000,
  breaker: { resetTimeoutMs: 400, volumeThreshold: 5, errorThresholdPercentage: 50 },
  retry: { initialDelayMs: 1, maxDelayMs: 5 },
  nodeCooldownMs: 100,
  keys: { retryIntervalMs: 50, unknownKidCooldownMs: 300 },
  // Generous: a healthy check must not time out on a loaded machine. Tests of the check's deadline set their own.
  readinessTimeoutMs: 5000,
};

/** startHarness starts the fake services and the gateway. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const backend = await FakeBackend.start(await FakeWorld.create());
  await options.beforeGateway?.(backend);
  const logs: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line) logs.push(JSON.parse(line));
      done();
    },
  });
  const logger = pino({ level: 'info', base: { service: 'api-gateway' } }, sink);
  const metrics = new Registry();
  const gateway = await createGateway({
    logger,
    metrics,
    registry: new StaticRegistry({ ...backend.env, ...options.addresses }),
    settings: { ...TEST_SETTINGS, ...options.settings },
    version: 'test',
  });
  await gateway.app.listen({ host: '127.0.0.1', port: 0 });
  const address = gateway.app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const baseUrl = `http://127.0.0.1:${port}`;
  if (options.waitForKeys ?? true) {
    await eventually(() => {
      if (!gateway.keys.loaded) throw new Error('token keys not loaded');
    });
  }
  const http = new Http(baseUrl);
  return {
    baseUrl,
    http,
    fixtures: new Fixtures(http),
    backend,
    world: backend.world,
    gateway,
    metrics,
    logs,
    metric: async (name, labels) => {
      const samples = (await metrics.getSingleMetric(name)?.get())?.values ?? [];
      const matching = samples.find((sample) =>
        Object.entries(labels).every(([key, value]) => String(sample.labels[key]) === value),
      );
      return matching?.value ?? 0;
    },
    close: async () => {
      await gateway.close();
      await backend.close();
    },
  };
}

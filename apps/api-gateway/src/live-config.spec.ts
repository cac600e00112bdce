// The gateway's dynamic config over real HTTP and real gRPC (fake services): a reload of CONFIG_FILE changes a
// breaker threshold and a rate limit at runtime, and a bad value is refused with the previous one kept.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { followConfig, loadConfig, loadSources, type LiveConfig } from '@blog/framework/core';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DOWNSTREAM_METHODS, scaledMethods } from './clients';
import { GATEWAY_RELOADABLE, gatewayConfig, type GatewayConfig } from './config';
import { applyLiveSettings } from './live-config';
import type { TestUser } from './testing/fixtures';
import { type Harness, startHarness } from './testing/harness';
import { eventually } from './testing/http';

describe('gateway dynamic config (CONFIG_FILE)', () => {
  let dir: string;
  let file: string;
  let harness: Harness;
  let live: LiveConfig<GatewayConfig>;
  let owner: TestUser;
  const lines: Array<Record<string, unknown>> = [];

  /** write replaces the file; the gateway polls it every 50 ms here. */
  const write = (values: Record<string, string | number>) =>
    writeFileSync(
      file,
      Object.entries(values)
        .map(([name, value]) => `${name}=${value}\n`)
        .join(''),
    );

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gateway-config-'));
    file = join(dir, 'gateway.env');
    write({ GATEWAY_RATE_LIMIT_PER_MINUTE: 100_000, BREAKER_VOLUME_THRESHOLD: 5 });
    harness = await startHarness();
    owner = await harness.fixtures.user();
    lines.length = 0;
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line));
        done();
      },
    });
    const env = { CONFIG_FILE: file };
    const config = loadConfig(gatewayConfig, loadSources(env, file));
    // What runHttpService does for the gateway (service.ts): follow the file, apply the reloadable settings.
    live = followConfig(gatewayConfig, config, {
      file,
      env,
      reloadable: GATEWAY_RELOADABLE,
      logger: pino({ level: 'info' }, sink),
      pollMs: 50,
    });
    applyLiveSettings(harness.gateway, live);
  });

  afterEach(async () => {
    live.close();
    await harness.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const readProfile = () => harness.http.get(`/v1/users/${owner.accountId}`);
  const breakerState = () => harness.metric('circuit_state', { name: 'user.GetUser' });

  it('a lower breaker volume threshold opens a breaker that the old one kept closed', async () => {
    await harness.backend.stopService('user');
    expect((await readProfile()).status).toBe(503);
    expect(await breakerState(), 'one failure is under the volume threshold of 5').toBe(0);
    write({ GATEWAY_RATE_LIMIT_PER_MINUTE: 100_000, BREAKER_VOLUME_THRESHOLD: 1 });
    await eventually(() => expect(live.version()).toBe(2));
    expect(lines.some((l) => l['msg'] === 'config reloaded')).toBe(true);
    expect((await readProfile()).status).toBe(503);
    expect(await breakerState(), 'two failures over a volume threshold of 1: open').toBe(2);
  });

  it('a lower rate limit applies to the next request; a bad value is refused and the old one kept', async () => {
    for (let i = 0; i < 5; i++) expect((await readProfile()).status).toBe(200);
    write({ GATEWAY_RATE_LIMIT_PER_MINUTE: 'many', BREAKER_VOLUME_THRESHOLD: 5 });
    await eventually(() =>
      expect(lines.map((l) => String(l['msg']))).toContainEqual(
        expect.stringMatching(
          /^config reload refused: GATEWAY_RATE_LIMIT_PER_MINUTE.*keeping the previous value$/,
        ),
      ),
    );
    expect(live.version()).toBe(1);
    expect(live.current().GATEWAY_RATE_LIMIT_PER_MINUTE).toBe(100_000);
    expect((await readProfile()).status).toBe(200);
    write({ GATEWAY_RATE_LIMIT_PER_MINUTE: 3, BREAKER_VOLUME_THRESHOLD: 5 });
    await eventually(() => expect(live.version()).toBe(2));
    // Six requests in this window already: over the new budget of 3 at once.
    const limited = await readProfile();
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('RESOURCE_EXHAUSTED');
  });

  it('scales every downstream deadline by DOWNSTREAM_DEADLINE_FACTOR', () => {
    const scaled = scaledMethods(DOWNSTREAM_METHODS.auth, 2);
    expect(scaled.login.deadlineMs).toBe(2 * (DOWNSTREAM_METHODS.auth.login.deadlineMs ?? 0));
    expect(scaled.getAccount.idempotent).toBe(true);
    const streams = scaledMethods(DOWNSTREAM_METHODS.visitor, 3);
    expect(streams.recordViews).toEqual(DOWNSTREAM_METHODS.visitor.recordViews);
  });
});

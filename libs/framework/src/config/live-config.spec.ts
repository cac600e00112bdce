import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { LogSink } from '../server/testing/clients';
import { baseConfig } from './base.config';
import { ConfigError } from './config';
import { type LiveConfig, watchConfig } from './live-config';
import { readConfigFile } from './sources';

const schema = baseConfig({ grpcPort: 7052, adminPort: 9102 }).extend({
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1, { error: 'must be at least 1' }).default(600),
});

describe('config sources and live reload', () => {
  const dirs: string[] = [];
  const lives: LiveConfig<unknown>[] = [];
  afterEach(() => {
    for (const live of lives.splice(0)) live.close();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const tmp = () => {
    const dir = mkdtempSync(join(tmpdir(), 'config-'));
    dirs.push(dir);
    return dir;
  };
  const setup = (text: string, env: Record<string, string> = {}) => {
    const file = join(tmp(), 'service.env');
    writeFileSync(file, text);
    const sink = new LogSink();
    const metrics = new Registry();
    const live = watchConfig(schema, {
      env,
      file,
      reloadable: ['LOG_LEVEL', 'RATE_LIMIT_PER_MINUTE'],
      logger: pino({ level: 'debug' }, sink),
      metrics,
      pollMs: 20,
    });
    lives.push(live as LiveConfig<unknown>);
    return { file, sink, metrics, live };
  };

  it('reads NAME=value files, JSON objects and ConfigMap folders', () => {
    const dir = tmp();
    writeFileSync(
      join(dir, 'a.env'),
      '# comment\nLOG_LEVEL=debug\nexport GRPC_PORT = "7100"\n\nCORS=\'x,y\'\n',
    );
    writeFileSync(join(dir, 'b.json'), '{"LOG_LEVEL": "warn", "GRPC_PORT": 7101, "TRUST_PROXY": true}');
    const map = join(dir, 'configmap');
    mkdirSync(join(map, '..2026_12_02'), { recursive: true });
    writeFileSync(join(map, 'LOG_LEVEL'), 'error\n');
    writeFileSync(join(map, '..data'), 'not a variable');
    expect(readConfigFile(join(dir, 'a.env'))).toEqual({
      LOG_LEVEL: 'debug',
      GRPC_PORT: '7100',
      CORS: 'x,y',
    });
    expect(readConfigFile(join(dir, 'b.json'))).toEqual({
      LOG_LEVEL: 'warn',
      GRPC_PORT: '7101',
      TRUST_PROXY: 'true',
    });
    expect(readConfigFile(map)).toEqual({ LOG_LEVEL: 'error' });
    writeFileSync(join(dir, 'bad.env'), 'LOG_LEVEL=info\nthis is not a line\n');
    expect(() => readConfigFile(join(dir, 'bad.env'))).toThrow(
      `${join(dir, 'bad.env')}:2: expected NAME=value`,
    );
  });

  it('lays the file over the environment over the defaults', () => {
    const { live } = setup('LOG_LEVEL=debug\n', { LOG_LEVEL: 'warn', GRPC_PORT: '7200' });
    expect(live.current()).toMatchObject({
      LOG_LEVEL: 'debug',
      GRPC_PORT: 7200,
      ADMIN_PORT: 9102,
      RATE_LIMIT_PER_MINUTE: 600,
    });
  });

  it('refuses to start on a bad file value, naming the variable', () => {
    const file = join(tmp(), 'bad.env');
    writeFileSync(file, 'RATE_LIMIT_PER_MINUTE=0\n');
    expect(() =>
      watchConfig(schema, { env: {}, file, reloadable: [], logger: pino({ level: 'silent' }) }),
    ).toThrow(ConfigError);
  });

  it('applies a reloadable change when the file changes: listeners, version and metric follow', async () => {
    const { file, live, metrics, sink } = setup('RATE_LIMIT_PER_MINUTE=600\n');
    const seen: [number, readonly string[]][] = [];
    live.onChange((next, changed) => seen.push([next.RATE_LIMIT_PER_MINUTE, changed]));
    writeFileSync(file, 'RATE_LIMIT_PER_MINUTE=5\nLOG_LEVEL=debug\n');
    await vi.waitFor(() => expect(seen).toEqual([[5, ['LOG_LEVEL', 'RATE_LIMIT_PER_MINUTE']]]), {
      timeout: 5_000,
    });
    expect(live.current().RATE_LIMIT_PER_MINUTE).toBe(5);
    expect(live.version()).toBe(2);
    expect(await metrics.getSingleMetricAsString('config_version')).toContain('config_version 2');
    expect(sink.find('config reloaded')).toHaveLength(1);
  });

  it('refuses a bad new value with one line naming the variable, and keeps the old one', () => {
    const { file, live, metrics, sink } = setup('RATE_LIMIT_PER_MINUTE=50\n');
    writeFileSync(file, 'RATE_LIMIT_PER_MINUTE=0\n');
    expect(live.reload()).toEqual({
      outcome: 'refused',
      problems: ['RATE_LIMIT_PER_MINUTE: must be at least 1'],
    });
    expect(live.current().RATE_LIMIT_PER_MINUTE).toBe(50);
    expect(live.version()).toBe(1);
    expect(sink.lines.map((l) => l['msg'])).toEqual([
      'config reload refused: RATE_LIMIT_PER_MINUTE: must be at least 1; keeping the previous value',
    ]);
    return expect(metrics.getSingleMetricAsString('config_reloads_total')).resolves.toContain(
      'config_reloads_total{outcome="refused"} 1',
    );
  });

  it('does not apply a change to a variable read at start only, and says it needs a restart', () => {
    const { file, live, sink } = setup('GRPC_PORT=7300\n');
    writeFileSync(file, 'GRPC_PORT=7301\n');
    expect(live.reload()).toEqual({ outcome: 'unchanged' });
    expect(live.current().GRPC_PORT).toBe(7300);
    expect(sink.lines.map((l) => l['msg'])).toEqual([
      'config: GRPC_PORT changed but is read at start only; it takes effect after a restart',
    ]);
  });
});

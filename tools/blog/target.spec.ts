import { OpsError } from '@blog/ops';
import { describe, expect, it } from 'vitest';
import { consolePort, DEFAULT_CONSOLE_PORT } from './console';
import { opsTarget } from './target';

describe('opsTarget', () => {
  it('defaults to the launcher ports and takes nodes from <NAME>_SERVICE_ADDR and <NAME>_ADMIN_ADDR', () => {
    const target = opsTarget({ USER_SERVICE_ADDR: 'a:1,b:2', USER_ADMIN_ADDR: 'a:3' });
    const user = target.services.find((s) => s.name === 'user');
    expect(user?.nodes).toEqual([
      { grpc: 'a:1', admin: 'a:3' },
      { grpc: 'b:2', admin: '127.0.0.1:9112' },
    ]);
    expect(target.services.find((s) => s.name === 'auth')?.nodes).toEqual([
      { grpc: '127.0.0.1:7051', admin: '127.0.0.1:9101' },
    ]);
    expect(target.services.find((s) => s.name === 'api-gateway')?.nodes).toEqual([
      { admin: '127.0.0.1:9100' },
    ]);
    expect(target.traceViewerUrl).toBe('http://127.0.0.1:9411');
  });

  it('refuses a stuck threshold that is not a positive number', () => {
    expect(() => opsTarget({ STUCK_AFTER_MS: 'soon' })).toThrow(OpsError);
  });
});

describe('consolePort', () => {
  it('defaults below the ephemeral range and refuses a non-port', () => {
    expect(consolePort({})).toBe(DEFAULT_CONSOLE_PORT);
    expect(DEFAULT_CONSOLE_PORT).toBeLessThan(32768);
    expect(consolePort({ CONSOLE_PORT: '23090' })).toBe(23090);
    expect(() => consolePort({ CONSOLE_PORT: 'x' })).toThrow(/CONSOLE_PORT=x/);
  });
});

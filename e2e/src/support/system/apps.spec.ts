import { describe, expect, it } from 'vitest';
import type { AppSpec } from '../tooling';
import { gatewayPort, replicaSpec, shiftPorts } from './apps';

const specs: AppSpec[] = [
  {
    name: 'user',
    ports: [50052, 9102],
    env: {
      GRPC_PORT: '50052',
      ADMIN_PORT: '9102',
      AUTH_SERVICE_ADDR: '127.0.0.1:50051',
      DATABASE_URL: 'postgres://u:p@127.0.0.1:55432/blog',
    },
  },
  {
    name: 'api-gateway',
    ports: [50050, 9100, 8080],
    env: {
      GRPC_PORT: '50050',
      ADMIN_PORT: '9100',
      GATEWAY_PORT: '8080',
      USER_SERVICE_ADDR: '127.0.0.1:50052',
    },
  },
];

describe('shiftPorts', () => {
  it('moves every app port and every downstream address, and nothing else', () => {
    const [user, gateway] = shiftPorts(specs, 1000);
    expect(user).toEqual({
      name: 'user',
      ports: [51052, 10102],
      env: {
        GRPC_PORT: '51052',
        ADMIN_PORT: '10102',
        AUTH_SERVICE_ADDR: '127.0.0.1:51051',
        DATABASE_URL: 'postgres://u:p@127.0.0.1:55432/blog',
      },
    });
    expect(gateway?.env).toMatchObject({ GATEWAY_PORT: '9080', USER_SERVICE_ADDR: '127.0.0.1:51052' });
    expect(gatewayPort(shiftPorts(specs, 1000))).toBe(9080);
  });

  it('keeps the specs as they are at offset 0 (copies, not the same objects)', () => {
    const same = shiftPorts(specs, 0);
    expect(same).toEqual(specs);
    expect(same[0]?.env).not.toBe(specs[0]?.env);
  });

  it('refuses an offset that leaves the port range', () => {
    expect(() => shiftPorts(specs, 20_000)).toThrow(/out of range/);
  });
});

describe('replicaSpec', () => {
  it('moves the replica’s own ports only and keeps its downstream addresses', () => {
    const [, gateway] = specs;
    const replica = replicaSpec(gateway as AppSpec, 7, { ACCOUNT_STATUS_TTL_MS: '600000' });
    expect(replica.ports).toEqual([50057, 9107, 8087]);
    expect(replica.env).toMatchObject({
      GRPC_PORT: '50057',
      ADMIN_PORT: '9107',
      GATEWAY_PORT: '8087',
      USER_SERVICE_ADDR: '127.0.0.1:50052',
      ACCOUNT_STATUS_TTL_MS: '600000',
    });
  });
});

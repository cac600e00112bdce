import { describe, expect, it } from 'vitest';
import type { AppSpec } from '../tooling';
import { gatewayPort, replicaSpec, shiftPorts } from './apps';

const specs: AppSpec[] = [
  {
    name: 'user',
    instance: 'user',
    ports: [7052, 9102],
    env: {
      GRPC_PORT: '7052',
      ADMIN_PORT: '9102',
      AUTH_SERVICE_ADDR: '127.0.0.1:7051',
      DATABASE_URL: 'postgres://u:p@127.0.0.1:15432/blog',
    },
  },
  {
    name: 'api-gateway',
    instance: 'api-gateway',
    ports: [9100, 8080],
    env: {
      ADMIN_PORT: '9100',
      GATEWAY_PORT: '8080',
      USER_SERVICE_ADDR: '127.0.0.1:7052',
    },
  },
];

describe('shiftPorts', () => {
  it('moves every app port and every downstream address, and nothing else', () => {
    const [user, gateway] = shiftPorts(specs, 1000);
    expect(user).toEqual({
      name: 'user',
      instance: 'user',
      ports: [8052, 10102],
      env: {
        GRPC_PORT: '8052',
        ADMIN_PORT: '10102',
        AUTH_SERVICE_ADDR: '127.0.0.1:8051',
        DATABASE_URL: 'postgres://u:p@127.0.0.1:15432/blog',
      },
    });
    expect(gateway?.env).toMatchObject({ GATEWAY_PORT: '9080', USER_SERVICE_ADDR: '127.0.0.1:8052' });
    expect(gatewayPort(shiftPorts(specs, 1000))).toBe(9080);
  });

  it('moves every instance of a replicated service', () => {
    const [, gateway] = specs as [AppSpec, AppSpec];
    const scaled = {
      ...gateway,
      env: { ...gateway.env, USER_SERVICE_ADDR: '127.0.0.1:7052,127.0.0.1:7062' },
    };
    expect(shiftPorts([scaled], 1000)[0]?.env['USER_SERVICE_ADDR']).toBe('127.0.0.1:8052,127.0.0.1:8062');
  });

  it('keeps the specs as they are at offset 0 (copies, not the same objects)', () => {
    const same = shiftPorts(specs, 0);
    expect(same).toEqual(specs);
    expect(same[0]?.env).not.toBe(specs[0]?.env);
  });

  it('refuses an offset that leaves the port range', () => {
    expect(() => shiftPorts(specs, 60_000)).toThrow(/out of range/);
  });
});

describe('replicaSpec', () => {
  it('moves the replica’s own ports only and keeps its downstream addresses', () => {
    const [, gateway] = specs;
    const replica = replicaSpec(gateway as AppSpec, 7, { ACCOUNT_STATUS_TTL_MS: '600000' });
    expect(replica.instance).toBe('api-gateway.replica');
    expect(replica.ports).toEqual([9107, 8087]);
    expect(replica.env).toMatchObject({
      ADMIN_PORT: '9107',
      GATEWAY_PORT: '8087',
      USER_SERVICE_ADDR: '127.0.0.1:7052',
      ACCOUNT_STATUS_TTL_MS: '600000',
    });
  });
});

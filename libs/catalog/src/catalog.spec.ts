import { EventTopics } from '@blog/proto';
import { describe, expect, it } from 'vitest';
import {
  accessPolicyOf,
  apps,
  calleesOf,
  dbRoleOf,
  gateway,
  nextPorts,
  serviceAddrVar,
  services,
  TOOLS_IDENTITY,
  workloadIdentities,
} from './index';
import { defineService } from './entry';

const duplicates = (values: readonly unknown[]) => values.filter((v, i) => values.indexOf(v) !== i);

describe('catalog', () => {
  it('gives every app its own name and ports, and every service its own schema', () => {
    expect(duplicates(apps.map((a) => a.name))).toEqual([]);
    expect(
      duplicates([...services.map((s) => s.grpcPort), ...apps.map((a) => a.adminPort), gateway.restPort]),
    ).toEqual([]);
    expect(duplicates(services.map((s) => s.schema))).toEqual([]);
  });

  it('keeps every port below the ephemeral range, with room for nine replicas 10 apart', () => {
    for (const s of services) {
      expect(s.grpcPort + 80).toBeLessThan(32768);
      expect(s.adminPort + 80).toBeLessThan(32768);
    }
    // Replica i takes +10*i: ten services would make replica 1 of the first collide with the tenth.
    expect(services.length).toBeLessThan(10);
  });

  it('names only topics of the event contract', () => {
    for (const s of services) for (const topic of s.consumes) expect(EventTopics).toContain(topic);
  });

  it('names only known apps as callers', () => {
    for (const s of services)
      for (const caller of s.callers) expect(apps.map((a) => a.name)).toContain(caller);
  });

  it('derives the conventional names', () => {
    expect(dbRoleOf('user')).toBe('user_svc');
    expect(serviceAddrVar('api-gateway')).toBe('API_GATEWAY_SERVICE_ADDR');
    expect(calleesOf('api-gateway').map((s) => s.name)).toEqual(services.map((s) => s.name));
  });

  it('gives a new service the ports after the highest in use', () => {
    const next = nextPorts();
    expect(next.grpcPort).toBe(Math.max(...services.map((s) => s.grpcPort)) + 1);
    expect(next.adminPort).toBe(Math.max(...services.map((s) => s.adminPort)) + 1);
  });

  it('refuses a name that is not kebab-case', () => {
    const entry = {
      name: 'Bad_Name',
      summary: '',
      schema: 'x',
      grpcPort: 1,
      adminPort: 2,
      consumes: [],
      callers: [],
    };
    expect(() => defineService(entry)).toThrow(/kebab-case/);
  });
});

describe('access', () => {
  it("lets a service's callers and the tools call it, and only the gateway act for a user", () => {
    for (const s of services) {
      const policy = accessPolicyOf(s);
      expect(policy.rules['*']).toEqual([...s.callers, TOOLS_IDENTITY]);
      expect(policy.actorFrom).toEqual(s.callers.includes(gateway.name) ? [gateway.name] : []);
    }
  });

  it('issues one identity per service, the gateway and the tools, and no other', () => {
    expect(workloadIdentities).toEqual([...services.map((s) => s.name), gateway.name, TOOLS_IDENTITY]);
    expect(duplicates(workloadIdentities)).toEqual([]);
  });

  it('never lets the tools act for a user', () => {
    const [first] = services;
    if (!first) throw new Error('the catalog has no service');
    const entry = { ...first, callers: [gateway.name, TOOLS_IDENTITY] };
    expect(accessPolicyOf(entry).actorFrom).toEqual([gateway.name]);
  });
});

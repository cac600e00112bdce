import { describe, expect, it } from 'vitest';
import { createRegistry } from './create-registry';
import { DnsRegistry } from './dns';
import { RegistryError, serviceAddrVariable } from './registry';
import { StaticRegistry, parseServiceAddr } from './static';

describe('static registry', () => {
  it('lists the nodes of USER_SERVICE_ADDR in order', async () => {
    const registry = new StaticRegistry({ USER_SERVICE_ADDR: 'user-1:7052, 10.1.2.3:6000,[::1]:7000' });
    expect(await registry.nodes('user')).toEqual([
      { id: 'user-1:7052', address: 'user-1:7052' },
      { id: '10.1.2.3:6000', address: '10.1.2.3:6000' },
      { id: '[::1]:7000', address: '[::1]:7000' },
    ]);
  });

  it('derives the variable from the service name', () => {
    expect(serviceAddrVariable('user')).toBe('USER_SERVICE_ADDR');
    expect(serviceAddrVariable('api-gateway')).toBe('API_GATEWAY_SERVICE_ADDR');
  });

  it('names the variable when it is missing', async () => {
    const registry = new StaticRegistry({});
    await expect(registry.nodes('blog')).rejects.toThrow(RegistryError);
    await expect(registry.nodes('blog')).rejects.toThrow(/BLOG_SERVICE_ADDR is not set/);
  });

  it.each([
    ['no port', 'user'],
    ['port out of range', 'user:70000'],
    ['empty entry', 'user:1,'],
    ['scheme', 'http://user:1'],
    ['port not a number', 'user:http'],
  ])('names the variable and the entry when it is malformed (%s)', (_case, value) => {
    expect(() => parseServiceAddr('USER_SERVICE_ADDR', value)).toThrow(
      /^USER_SERVICE_ADDR has a malformed entry/,
    );
  });

  it('validates the listed services at construction, so bad config fails at start-up', () => {
    expect(() => new StaticRegistry({ USER_SERVICE_ADDR: 'u:1' }, ['user', 'auth'])).toThrow(
      /AUTH_SERVICE_ADDR/,
    );
  });
});

describe('createRegistry', () => {
  it('is static by default and dns when REGISTRY=dns', () => {
    expect(createRegistry({ env: {} })).toBeInstanceOf(StaticRegistry);
    const dns = createRegistry({ env: { REGISTRY: 'dns' } });
    expect(dns).toBeInstanceOf(DnsRegistry);
    dns.close();
  });

  it('names REGISTRY when its value is unknown', () => {
    expect(() => createRegistry({ env: { REGISTRY: 'consul' } })).toThrow(
      /REGISTRY must be "static" or "dns", got "consul"/,
    );
  });
});

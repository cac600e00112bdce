import { afterEach, describe, expect, it, vi } from 'vitest';
import { DnsRegistry, type Resolve4 } from './dns';
import type { Node } from './registry';

/** A resolver the test steers: answers per host, or an error. */
function steeredResolver(initial: Record<string, string[] | Error>) {
  const answers = { ...initial };
  const asked: string[] = [];
  const resolve4: Resolve4 = async (host) => {
    asked.push(host);
    const answer = answers[host];
    if (answer === undefined)
      throw Object.assign(new Error(`queryA ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return { answers, asked, resolve4 };
}

const addresses = (nodes: readonly Node[]) => nodes.map((n) => n.address);

describe('dns registry', () => {
  let registry: DnsRegistry | undefined;
  afterEach(() => registry?.close());

  it('makes one node per A record, on the configured port', async () => {
    const dns = steeredResolver({ user: ['127.0.0.3', '127.0.0.2'] });
    registry = new DnsRegistry({
      env: { USER_SERVICE_ADDR: 'user:7052' },
      resolve4: dns.resolve4,
      intervalMs: 60_000,
    });
    expect(addresses(await registry.nodes('user'))).toEqual(['127.0.0.2:7052', '127.0.0.3:7052']);
  });

  it('follows a changed answer and tells watchers only when it changes', async () => {
    const dns = steeredResolver({ user: ['127.0.0.2'] });
    registry = new DnsRegistry({
      env: { USER_SERVICE_ADDR: 'user:7052' },
      resolve4: dns.resolve4,
      intervalMs: 5,
    });
    const seen: string[][] = [];
    registry.watch('user', (nodes) => seen.push(addresses(nodes)));
    expect(addresses(await registry.nodes('user'))).toEqual(['127.0.0.2:7052']);

    dns.answers.user = ['127.0.0.3', '127.0.0.4'];
    await vi.waitFor(() => expect(seen.at(-1)).toEqual(['127.0.0.3:7052', '127.0.0.4:7052']));
    expect(addresses(await registry.nodes('user'))).toEqual(['127.0.0.3:7052', '127.0.0.4:7052']);

    // Many more resolutions with the same answer: no further notification.
    const before = dns.asked.length;
    await vi.waitFor(() => expect(dns.asked.length).toBeGreaterThan(before + 5));
    expect(seen).toEqual([['127.0.0.2:7052'], ['127.0.0.3:7052', '127.0.0.4:7052']]);
  });

  it('keeps the last good answer when the resolver fails', async () => {
    const dns = steeredResolver({ user: ['127.0.0.2'] });
    registry = new DnsRegistry({
      env: { USER_SERVICE_ADDR: 'user:7052' },
      resolve4: dns.resolve4,
      intervalMs: 5,
    });
    const seen: string[][] = [];
    registry.watch('user', (nodes) => seen.push(addresses(nodes)));
    await registry.nodes('user');

    dns.answers.user = new Error('queryA ETIMEOUT user');
    const before = dns.asked.length;
    await vi.waitFor(() => expect(dns.asked.length).toBeGreaterThan(before + 3));
    expect(addresses(await registry.nodes('user'))).toEqual(['127.0.0.2:7052']);
    expect(seen).toEqual([['127.0.0.2:7052']]);
  });

  it('resolves every host of the list and passes IP literals through without asking DNS', async () => {
    const dns = steeredResolver({ a: ['127.0.0.5'], b: ['127.0.0.6'] });
    registry = new DnsRegistry({
      env: { POST_SERVICE_ADDR: 'a:1,b:2,127.0.0.9:3' },
      resolve4: dns.resolve4,
      intervalMs: 60_000,
    });
    expect(addresses(await registry.nodes('post'))).toEqual(['127.0.0.5:1', '127.0.0.6:2', '127.0.0.9:3']);
    expect(dns.asked).not.toContain('127.0.0.9');
  });

  it('rejects naming the variable and host when nothing resolves, and recovers once DNS answers', async () => {
    const dns = steeredResolver({});
    registry = new DnsRegistry({
      env: { USER_SERVICE_ADDR: 'user:7052' },
      resolve4: dns.resolve4,
      intervalMs: 60_000,
    });
    await expect(registry.nodes('user')).rejects.toThrow(/USER_SERVICE_ADDR: no A records for user/);
    dns.answers.user = ['127.0.0.2'];
    expect(addresses(await registry.nodes('user'))).toEqual(['127.0.0.2:7052']);
  });

  it('names the variable when it is missing', async () => {
    registry = new DnsRegistry({ env: {} });
    await expect(registry.nodes('visitor')).rejects.toThrow(/VISITOR_SERVICE_ADDR is not set/);
  });

  it('stops resolving after close', async () => {
    const dns = steeredResolver({ user: ['127.0.0.2'] });
    registry = new DnsRegistry({
      env: { USER_SERVICE_ADDR: 'user:1' },
      resolve4: dns.resolve4,
      intervalMs: 5,
    });
    await registry.nodes('user');
    registry.close();
    const after = dns.asked.length;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(dns.asked.length).toBeLessThanOrEqual(after + 1);
  });
});

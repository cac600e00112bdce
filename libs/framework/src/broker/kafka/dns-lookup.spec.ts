import { pbkdf2 } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import type { LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import { createNonBlockingLookup, installNonBlockingLookup } from './dns-lookup';

/**
 * A DNS server on 127.0.0.1 for the test: `answers` maps a name to its IPv4 address (an A record), `nxdomain` lists
 * names it denies, anything else is never answered (a silent upstream, as Docker's embedded DNS forwarding to a
 * resolver that does not reply).
 */
async function dnsServer(
  answers: Record<string, string>,
  nxdomain: string[] = [],
): Promise<Socket & { port: number }> {
  const socket = createSocket('udp4');
  socket.on('message', (query, peer) => {
    const { name, end } = questionOf(query);
    const type = query.readUInt16BE(end);
    const address = answers[name];
    const deny = nxdomain.includes(name) || (address !== undefined && type !== 1);
    if (address === undefined && !deny) return; // silent
    const header = Buffer.from(query.subarray(0, 12));
    header.writeUInt16BE(deny ? 0x8183 : 0x8180, 2); // response, recursion desired/available, NXDOMAIN or no error
    header.writeUInt16BE(1, 4); // one question
    header.writeUInt16BE(deny ? 0 : 1, 6); // answers
    header.writeUInt32BE(0, 8); // no authority, no additional records
    const question = query.subarray(12, end + 4);
    const parts = [header, question];
    if (!deny && address) {
      const record = Buffer.alloc(16);
      record.writeUInt16BE(0xc00c, 0); // the name: a pointer to the question's
      record.writeUInt16BE(1, 2); // A
      record.writeUInt16BE(1, 4); // IN
      record.writeUInt32BE(30, 6); // TTL
      record.writeUInt16BE(4, 10);
      address.split('.').forEach((octet, i) => record.writeUInt8(Number(octet), 12 + i));
      parts.push(record);
    }
    socket.send(Buffer.concat(parts), peer.port, peer.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return Object.assign(socket, { port: socket.address().port });
}

/** questionOf reads the queried name and where its labels end. */
function questionOf(query: Buffer): { name: string; end: number } {
  const labels: string[] = [];
  let at = 12;
  while (query[at]) {
    const length = query.readUInt8(at);
    labels.push(query.subarray(at + 1, at + 1 + length).toString('ascii'));
    at += length + 1;
  }
  return { name: labels.join('.'), end: at + 1 };
}

function lookupAll(lookup: LookupFunction, host: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) =>
    lookup(host, { all: true }, (error, addresses) =>
      error ? reject(error) : resolve(addresses as unknown as LookupAddress[]),
    ),
  );
}

function lookupOne(
  lookup: LookupFunction,
  host: string,
  family = 0,
): Promise<{ address: string; family: number }> {
  return new Promise((resolve, reject) =>
    lookup(host, { family }, (error, address, addressFamily) =>
      error ? reject(error) : resolve({ address: address as string, family: addressFamily ?? 0 }),
    ),
  );
}

describe('createNonBlockingLookup', () => {
  const servers: Socket[] = [];
  afterEach(() => {
    for (const server of servers.splice(0)) server.close();
  });

  it('resolves a name through DNS, in both of net.connect’s forms', async () => {
    const server = await dnsServer({ 'kafka.test': '10.1.2.3' });
    servers.push(server);
    const lookup = createNonBlockingLookup({
      servers: [`127.0.0.1:${server.port}`],
      timeoutMs: 500,
      tries: 1,
    });
    await expect(lookupAll(lookup, 'kafka.test')).resolves.toEqual([{ address: '10.1.2.3', family: 4 }]);
    await expect(lookupOne(lookup, 'kafka.test', 4)).resolves.toEqual({ address: '10.1.2.3', family: 4 });
  });

  it('hands IP literals and localhost to the system lookup (no DNS asked)', async () => {
    const lookup = createNonBlockingLookup({ servers: ['127.0.0.1:9'], timeoutMs: 200, tries: 1 });
    await expect(lookupOne(lookup, '127.0.0.1', 4)).resolves.toEqual({ address: '127.0.0.1', family: 4 });
    const local = await lookupAll(lookup, 'localhost');
    expect(local.map((a) => a.address)).toContain('127.0.0.1');
  });

  it('fails with ETIMEOUT when DNS does not answer, and meanwhile the thread pool stays free', async () => {
    const server = await dnsServer({});
    servers.push(server);
    const lookup = createNonBlockingLookup({
      servers: [`127.0.0.1:${server.port}`],
      timeoutMs: 1_500,
      tries: 1,
    });
    let settled = 0;
    // More pending lookups than libuv has pool threads (4): with getaddrinfo these would hold every one of them.
    const pending = Array.from({ length: 8 }, () =>
      lookupOne(lookup, 'gone.test').finally(() => {
        settled += 1;
      }),
    );
    // pbkdf2 runs on the pool: it completes while every lookup is still waiting for its answer.
    await new Promise<void>((resolve, reject) =>
      pbkdf2('secret', 'salt', 1, 32, 'sha256', (error) => (error ? reject(error) : resolve())),
    );
    expect(settled, 'lookups settled before the pool task ran').toBe(0);
    const outcomes = await Promise.allSettled(pending);
    for (const outcome of outcomes) {
      expect(outcome.status).toBe('rejected');
      expect((outcome as PromiseRejectedResult).reason).toMatchObject({ code: 'ETIMEOUT' });
    }
  });

  it('asks the fallback (getaddrinfo: /etc/hosts) for a name DNS denies, never for one it leaves unanswered', async () => {
    const server = await dnsServer({}, ['in-hosts-file.test']);
    servers.push(server);
    const asked: string[] = [];
    const fallback: LookupFunction = (host, _options, callback) => {
      asked.push(host);
      callback(null, '192.0.2.7', 4);
    };
    const lookup = createNonBlockingLookup({
      servers: [`127.0.0.1:${server.port}`],
      timeoutMs: 300,
      tries: 1,
      fallback,
    });
    await expect(lookupOne(lookup, 'in-hosts-file.test')).resolves.toEqual({
      address: '192.0.2.7',
      family: 4,
    });
    await expect(lookupOne(lookup, 'silent.test')).rejects.toMatchObject({ code: 'ETIMEOUT' });
    expect(asked).toEqual(['in-hosts-file.test']);
  });

  it('installed process-wide, it is what a plain net.connect uses; uninstalling restores the system lookup', async () => {
    const server = await dnsServer({ 'broker.test': '127.0.0.1' });
    servers.push(server);
    const uninstall = installNonBlockingLookup({
      servers: [`127.0.0.1:${server.port}`],
      timeoutMs: 500,
      tries: 1,
    });
    try {
      // Port 9 on 127.0.0.1: nobody listens, so a resolved name ends in ECONNREFUSED, an unresolved one in a DNS error.
      const outcome = await new Promise<string>((resolve) => {
        const socket = connect({ host: 'broker.test', port: 9 });
        socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'unknown'));
        socket.on('connect', () => {
          socket.destroy();
          resolve('connected');
        });
      });
      expect(outcome).toBe('ECONNREFUSED');
      const { promisify } = await import('node:util');
      const dns = process.getBuiltinModule('node:dns');
      await expect(promisify(dns.lookup)('broker.test')).resolves.toEqual({
        address: '127.0.0.1',
        family: 4,
      });
    } finally {
      uninstall();
    }
    const dns = process.getBuiltinModule('node:dns');
    expect(dns.lookup.name).toBe('lookup');
  });
});

// A host-name lookup for broker connections that never occupies libuv's thread pool.
//
// Why: Node's default lookup is getaddrinfo(3), which runs on libuv's thread pool (4 threads). When the broker's
// name stops resolving, for example while its container is stopped under Docker, whose embedded DNS then waits on
// the upstream resolver (20 s per lookup was measured here), every reconnect attempt of every Kafka client parks
// one pool thread for that long. A handful of them fill the pool, and everything else that needs it waits behind
// them: the database connections' own lookups, crypto, file I/O. Requests that touch only PostgreSQL then miss
// their deadlines although PostgreSQL is fine (a 504 from a subscription during a Kafka outage in compose).
// c-ares (node:dns Resolver) resolves on the event loop with its own timeout, so a broker that is gone costs a
// failed connection attempt and nothing else.
import { lookup as systemLookup, Resolver, type LookupAddress, type LookupOptions } from 'node:dns';
import { promisify } from 'node:util';
import { connect as netConnect, isIP, type LookupFunction } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { ISocketFactory } from 'kafkajs';

/** DnsLookupOptions tune the resolver; tests point it at their own DNS server. */
export interface DnsLookupOptions {
  /** timeoutMs per query try (default 2000). */
  timeoutMs?: number;
  /** tries per query (default 2). */
  tries?: number;
  /** servers overrides the system's resolvers (host or host:port). */
  servers?: string[];
  /** fallback answers what DNS denies (default: the system's getaddrinfo lookup, which reads /etc/hosts). */
  fallback?: LookupFunction;
}

/** Codes of a DNS answer that says "no such name" quickly: /etc/hosts may still know it (getaddrinfo reads it). */
const NOT_IN_DNS = new Set(['ENOTFOUND', 'ENODATA']);

/**
 * createNonBlockingLookup returns a `lookup` for net.connect / tls.connect that asks DNS through c-ares. Names DNS
 * does not know (ENOTFOUND, ENODATA: a fast answer) go to the system lookup, which also reads /etc/hosts
 * (`localhost`, a container's own name); a DNS that does not answer (ETIMEOUT and the like) fails the connection
 * attempt instead of falling back, since the system lookup would only wait for the same silent server on a pool
 * thread.
 */
export function createNonBlockingLookup(options: DnsLookupOptions = {}): LookupFunction {
  const resolver = new Resolver({ timeout: options.timeoutMs ?? 2_000, tries: options.tries ?? 2 });
  if (options.servers) resolver.setServers(options.servers);
  const fallback = options.fallback ?? (systemLookup as LookupFunction);
  return (hostname, lookupOptions, callback) => {
    const family = typeof lookupOptions.family === 'number' ? lookupOptions.family : 0;
    if (isIP(hostname) || hostname === 'localhost') {
      fallback(hostname, lookupOptions, callback);
      return;
    }
    resolveAll(resolver, hostname, family).then(
      (addresses) => {
        if (lookupOptions.all) return callback(null, addresses);
        const [first] = addresses;
        if (first) return callback(null, first.address, first.family);
        callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), '', 0);
      },
      (error: NodeJS.ErrnoException) => {
        if (error.code && NOT_IN_DNS.has(error.code)) {
          fallback(hostname, lookupOptions, callback);
          return;
        }
        callback(error, '', 0);
      },
    );
  };
}

/** resolveAll asks for A and (unless IPv4 only) AAAA records; either may be missing, not both. */
async function resolveAll(resolver: Resolver, hostname: string, family: number): Promise<LookupAddress[]> {
  const ask = (kind: 4 | 6) =>
    new Promise<LookupAddress[]>((resolve, reject) => {
      const done = (error: NodeJS.ErrnoException | null, found: string[]) =>
        error ? reject(error) : resolve(found.map((address) => ({ address, family: kind })));
      if (kind === 4) resolver.resolve4(hostname, done);
      else resolver.resolve6(hostname, done);
    });
  if (family === 4) return ask(4);
  if (family === 6) return ask(6);
  const [v4, v6] = await Promise.allSettled([ask(4), ask(6)]);
  const found = [
    ...(v4.status === 'fulfilled' ? v4.value : []),
    ...(v6.status === 'fulfilled' ? v6.value : []),
  ];
  if (found.length > 0) return found;
  // Both failed: a DNS that did not answer wins over "no such name", which would send the caller to the system lookup.
  const errors = [v4, v6].map((result) => (result as PromiseRejectedResult).reason as NodeJS.ErrnoException);
  throw errors.find((error) => !(error.code && NOT_IN_DNS.has(error.code))) ?? errors[0];
}

/** KEEP_ALIVE_DELAY_MS: as kafkajs's own socket factory. */
const KEEP_ALIVE_DELAY_MS = 60_000;

/**
 * nonBlockingSocketFactory is kafkajs's default socket factory with the lookup above: the same TLS server name and
 * keep-alive, only the name resolution moves off the thread pool.
 */
export function nonBlockingSocketFactory(options: DnsLookupOptions = {}): ISocketFactory {
  const lookup = createNonBlockingLookup(options);
  return ({ host, port, ssl, onConnect }) => {
    const socket = ssl
      ? tlsConnect({ host, port, lookup, ...(isIP(host) ? {} : { servername: host }), ...ssl }, onConnect)
      : netConnect({ host, port, lookup }, onConnect);
    socket.setKeepAlive(true, KEEP_ALIVE_DELAY_MS);
    return socket;
  };
}

/**
 * installNonBlockingLookup makes the lookup above the process's `dns.lookup`, the one net.connect and tls.connect use
 * when a caller passes none, and returns the function that restores the previous one. The data plane installs it:
 * its Kafka client (@platformatic/kafka) and pg open their sockets without a way to pass a lookup, and both must
 * keep working while the broker's name does not resolve. `util.promisify(dns.lookup)` keeps its {address, family}
 * answer (the custom promisified form is carried over); `dns.promises.lookup` is not touched.
 */
export function installNonBlockingLookup(options: DnsLookupOptions = {}): () => void {
  // The module object itself (an ES import would bind a copy under CommonJS output): its `lookup` is what net reads.
  const dns = process.getBuiltinModule('node:dns') as { lookup: unknown };
  const previous = dns.lookup;
  const fallback = options.fallback ?? (previous as LookupFunction);
  const lookup = createNonBlockingLookup({ ...options, fallback });
  const installed = function nonBlockingLookup(hostname: string, ...args: unknown[]): void {
    const callback = args[args.length - 1] as Parameters<LookupFunction>[2];
    const given = args.length > 1 ? args[0] : undefined;
    const lookupOptions = typeof given === 'number' ? { family: given } : ((given ?? {}) as LookupOptions);
    lookup(hostname, lookupOptions, callback);
  };
  Object.defineProperty(installed, promisify.custom, {
    value: (hostname: string, lookupOptions: LookupOptions = {}) =>
      new Promise((resolve, reject) =>
        lookup(hostname, lookupOptions, (error, address, family) => {
          if (error) reject(error);
          else resolve(lookupOptions.all ? address : { address, family });
        }),
      ),
  });
  dns.lookup = installed;
  return () => {
    if (dns.lookup === installed) dns.lookup = previous;
  };
}

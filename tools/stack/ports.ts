// Who holds a port, and why the stack's fixed ports live outside the ephemeral range.
//
// The kernel gives every outgoing TCP connection a local port from the ephemeral range (Linux: 32768-60999, in
// /proc/sys/net/ipv4/ip_local_port_range). A connection made without SO_REUSEADDR (Java's sockets: Kafka, Connect,
// the JDBC driver; any autobound connect()) blocks every later bind() of that port on the same address, although
// nothing listens on it. Kafka and Connect open hundreds of such connections while the stack starts, so a fixed port
// inside the range is taken now and then by a connection that lives as long as the broker: the first `npm start` on
// a fresh machine failed on `port 50052 (user)` twice in three tries that way. Every default port is therefore below
// the range, and a bind that still fails is reported for what it is: a listener, or an outgoing connection.
import { readFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';

/** PortRange is an inclusive range of ports. */
export interface PortRange {
  readonly first: number;
  readonly last: number;
}

/** LINUX_DEFAULT_EPHEMERAL is Linux's default ephemeral range, used when /proc cannot be read. */
export const LINUX_DEFAULT_EPHEMERAL: PortRange = { first: 32768, last: 60999 };

/** IANA_EPHEMERAL is the range other systems (macOS, Windows, BSD) use by default. */
export const IANA_EPHEMERAL: PortRange = { first: 49152, last: 65535 };

/** ephemeralRange reads this machine's ephemeral range (Linux), else the IANA range. */
export function ephemeralRange(file = '/proc/sys/net/ipv4/ip_local_port_range'): PortRange {
  try {
    const match = /^\s*(\d+)\s+(\d+)\s*$/.exec(readFileSync(file, 'utf8'));
    if (match) {
      const [first, last] = [Number(match[1]), Number(match[2])];
      if (first <= last) return { first, last };
    }
  } catch {
    // Not Linux (or /proc hidden): fall through to the range other systems use.
  }
  return process.platform === 'linux' ? LINUX_DEFAULT_EPHEMERAL : IANA_EPHEMERAL;
}

/** inRange tells whether a port lies in a range. */
export const inRange = (port: number, range: PortRange): boolean => port >= range.first && port <= range.last;

/** PortHolder says who has a port: nobody, a listening server, or the local end of an outgoing connection. */
export type PortHolder = 'free' | 'listener' | 'outgoing';

/** portHolder finds out who holds 127.0.0.1:port: it tries to bind, and when that fails, to connect. */
export async function portHolder(port: number, host = '127.0.0.1'): Promise<PortHolder> {
  if (await canBind(port, host)) return 'free';
  return (await answers(port, host)) ? 'listener' : 'outgoing';
}

/** isPortFree tells whether host:port can be bound right now. */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return canBind(port, host);
}

/**
 * portProblem is the one line that says why a port cannot be used and what to do, or undefined when it is free.
 * `fix` is the advice for a real listener (stop it, or the variable that moves the port).
 */
export async function portProblem(
  port: number,
  label: string,
  fix: string,
  host = '127.0.0.1',
): Promise<string | undefined> {
  const holder = await portHolder(port, host);
  if (holder === 'free') return undefined;
  if (holder === 'listener') return `port ${port} (${label}) is in use by another process: ${fix}`;
  const range = ephemeralRange();
  const where = inRange(port, range)
    ? `it lies in this machine's ephemeral range ${range.first}-${range.last}, where outgoing connections get their ports`
    : 'an outgoing connection was given it';
  return `port ${port} (${label}) is held by an outgoing connection, not a listener (${where}): ${fix}, choosing a port below ${range.first}`;
}

function canBind(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

function answers(port: number, host: string, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    const done = (result: boolean) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

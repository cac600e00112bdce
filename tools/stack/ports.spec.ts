import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadStackConfig } from './config';
import { ephemeralRange, inRange, isPortFree, portHolder, portProblem } from './ports';
import { MAX_REPLICAS, gateway, replicaPorts, services } from './services';

// The failure the issue saw (`port 50052 (user) is in use` with no listener) made deterministic: a JVM connection,
// like the hundreds Kafka and Connect open, bound to a port inside the ephemeral range.
describe('ports', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  const listen = async (port = 0): Promise<number> => {
    const server: Server = createServer((socket) => socket.on('error', () => undefined));
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    return (server.address() as AddressInfo).port;
  };

  /** holdFromPort makes `java HoldPort.java` connect from `localPort` to `target` and waits until it has. */
  const holdFromPort = async (localPort: number, target: number): Promise<void> => {
    const java: ChildProcessWithoutNullStreams = spawn('java', [
      join(__dirname, 'testing', 'HoldPort.java'),
      String(localPort),
      String(target),
    ]);
    cleanups.push(() => {
      java.stdin.end();
      java.kill();
    });
    let stderr = '';
    java.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const line = await new Promise<string>((resolve, reject) => {
      java.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
      java.once('exit', (code) => reject(new Error(`HoldPort exited with ${code}: ${stderr}`)));
    });
    expect(line).toBe(`connected ${localPort} reuseaddr=false`);
  };

  const freePortInEphemeralRange = async (): Promise<number> => {
    const { first, last } = ephemeralRange();
    for (let tries = 0; tries < 50; tries++) {
      const port = first + Math.floor(Math.random() * (last - first + 1));
      if (await isPortFree(port)) return port;
    }
    throw new Error('no free port in the ephemeral range');
  };

  it('an outgoing JVM connection on a port blocks binding it although nothing listens, and is named as such', async () => {
    const target = await listen();
    const port = await freePortInEphemeralRange();
    await holdFromPort(port, target);

    // The old pre-check (and the real bind after it) fail: this is the failed first start.
    expect(await isPortFree(port)).toBe(false);
    // Told apart from a listener, in one line that says what is going on and what to do.
    expect(await portHolder(port)).toBe('outgoing');
    const problem = await portProblem(port, 'user', 'set its port variable');
    const { first, last } = ephemeralRange();
    expect(problem).toBe(
      `port ${port} (user) is held by an outgoing connection, not a listener (it lies in this machine's ephemeral range ${first}-${last}, where outgoing connections get their ports): set its port variable, choosing a port below ${first}`,
    );
  });

  it('a real listener is reported in one line', async () => {
    const port = await listen();
    expect(await portHolder(port)).toBe('listener');
    const problem = await portProblem(port, 'Kafka', 'stop it or set KAFKA_PORT to a free port');
    expect(problem).toBe(
      `port ${port} (Kafka) is in use by another process: stop it or set KAFKA_PORT to a free port`,
    );
    expect(problem).not.toContain('\n');
  });

  it('a free port has no problem', async () => {
    const port = await listen();
    cleanups.splice(0).forEach((cleanup) => void cleanup());
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await portProblem(port, 'x', 'y')).toBeUndefined();
  });

  it('every default port of the stack and the apps, replicas included, lies below the ephemeral range', () => {
    const range = ephemeralRange();
    const config = loadStackConfig({});
    const ports = [
      ...Object.values(config.ports),
      gateway.adminPort,
      ...services.flatMap((app) =>
        Array.from({ length: MAX_REPLICAS }, (_, index) => Object.values(replicaPorts(app, index))).flat(),
      ),
    ];
    expect(ports.filter((port) => inRange(port, range))).toEqual([]);
    expect(new Set(ports).size, 'no two defaults share a port').toBe(ports.length);
  });

  it('reads the ephemeral range from /proc, with a fallback', () => {
    expect(ephemeralRange('/nonexistent')).toEqual(
      process.platform === 'linux' ? { first: 32768, last: 60999 } : { first: 49152, last: 65535 },
    );
    const range = ephemeralRange();
    expect(range.first).toBeLessThanOrEqual(range.last);
  });
});

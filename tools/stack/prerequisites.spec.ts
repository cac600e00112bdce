import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { StackError } from './errors';
import { isPortFree } from './ports';
import { javaMajorVersion, requireJava, requirePortFree, requireWritable } from './prerequisites';

describe('prerequisites', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0))
      await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('names the busy port, the part and the variable that moves it', async () => {
    const server = createServer();
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;

    expect(await isPortFree(port)).toBe(false);
    const error = await requirePortFree('kafka', port, 'Kafka').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StackError);
    expect((error as Error).message).toBe(
      `port ${port} (Kafka) is in use by another process: stop it or set KAFKA_PORT to a free port`,
    );
    expect((error as Error).message).not.toContain('\n');
  });

  it('accepts a free port', async () => {
    await expect(requirePortFree('connect', 0, 'Kafka Connect')).resolves.toBeUndefined();
  });

  it('reads Java major versions, old and new style', () => {
    expect(javaMajorVersion('openjdk version "17.0.15" 2025-04-15')).toBe(17);
    expect(javaMajorVersion('openjdk version "21" 2023-09-19')).toBe(21);
    expect(javaMajorVersion('java version "1.8.0_392"')).toBe(8);
    expect(javaMajorVersion('no version here')).toBeUndefined();
  });

  it("finds this machine's java and names the fix when JAVA_HOME points nowhere", () => {
    expect(requireJava({ PATH: process.env['PATH'] })).toBe('java');
    expect(() => requireJava({ JAVA_HOME: '/nonexistent/jdk' })).toThrow(
      'java not found (/nonexistent/jdk/bin/java): install Java 17+ (e.g. apt-get install -y openjdk-17-jre-headless) or set JAVA_HOME',
    );
  });

  it('names the folder and the fix when the state folder cannot be written', () => {
    // A path below a regular file cannot be created, even by root.
    expect(() => requireWritable('/dev/null/stack')).toThrow(
      'cannot write to /dev/null/stack (ENOTDIR): make it writable or set STACK_DIR to a writable folder',
    );
  });
});

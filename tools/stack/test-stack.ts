// The stack as test infrastructure: "the test command brings the stack up itself when it is not already up, and
// down afterwards". Nx may run several test projects at once, each with its own global setup, so every user
// holds a lease, and the last one out takes the stack down, and only if a test run (not a developer) started it.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadStackConfig, type StackConfig } from './config';
import { stackInfo, type StackInfo } from './info';
import { withStackLock } from './lock';
import { requireWritable } from './prerequisites';
import { isAlive } from './process/processes';
import { down, up } from './stack';

/** TestStack is a lease on a running stack. */
export interface TestStack {
  info: StackInfo;
  /** started tells whether this lease's `up` started any process. */
  started: boolean;
  /** release gives the lease back; returns true when it was the last and the stack went down. */
  release(): Promise<boolean>;
}

const leaseDir = (config: StackConfig) => join(config.runDir, 'test-leases');
const ownerMarker = (config: StackConfig) => join(config.runDir, 'started-by-tests');

/** acquireTestStack brings the stack up if needed and takes a lease on it. */
export async function acquireTestStack(
  options: { config?: StackConfig; log?: (line: string) => void } = {},
): Promise<TestStack> {
  const config = options.config ?? loadStackConfig();
  requireWritable(config.stackDir);
  const lease = join(leaseDir(config), `${process.pid}-${randomUUID()}`);
  const started = await withStackLock(config.runDir, async () => {
    const result = await up(config, options.log ?? (() => undefined));
    mkdirSync(leaseDir(config), { recursive: true });
    writeFileSync(lease, '');
    if (result.startedAny) writeFileSync(ownerMarker(config), `${process.pid}\n`);
    return result.startedAny;
  });
  return {
    info: stackInfo(config),
    started,
    release: () =>
      withStackLock(config.runDir, async () => {
        rmSync(lease, { force: true });
        const others = liveLeases(config);
        // STACK_KEEP=1 keeps a stack the tests started, for quick reruns while working on integration tests.
        if (others.length > 0 || !existsSync(ownerMarker(config)) || process.env['STACK_KEEP'] === '1')
          return false;
        await down(config, options.log);
        rmSync(ownerMarker(config), { force: true });
        return true;
      }),
  };
}

/** claimStack marks the stack as the developer's: test runs will no longer take it down. */
export function claimStack(config: StackConfig): void {
  rmSync(ownerMarker(config), { force: true });
}

/** liveLeases lists the leases whose process still runs, deleting those of dead processes. */
function liveLeases(config: StackConfig): string[] {
  if (!existsSync(leaseDir(config))) return [];
  return readdirSync(leaseDir(config)).filter((name) => {
    const pid = Number(name.split('-')[0]);
    if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) return true;
    rmSync(join(leaseDir(config), name), { force: true });
    return false;
  });
}

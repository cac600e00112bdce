// runService is an app's main: start the service, stop it gracefully on SIGTERM/SIGINT, and exit with a code
// that tells what happened (0 stopped cleanly, 1 bad config or failed start or failed stop).
import { ConfigError, type BaseConfig } from '../config';
import { createService } from './create-service';
import type { ServiceHandle, ServiceOptions } from './service';

/** ProcessIo is the process boundary runService uses (injected by tests). */
export interface ProcessIo {
  readonly signals: Pick<NodeJS.Process, 'on' | 'off'>;
  readonly stderr: { write(line: string): unknown };
  exit(code: number): void;
}

const processIo: ProcessIo = {
  signals: process,
  stderr: process.stderr,
  exit: (code) => process.exit(code),
};

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/** RunningProcess is what runProcess needs of a started service. */
export interface RunningProcess {
  readonly logger: {
    info(obj: object, msg: string): void;
    warn(obj: object, msg: string): void;
    error(obj: object, msg: string): void;
  };
  stop(): Promise<void>;
}

/**
 * runService starts the service. A bad config prints one line per bad variable (no stack trace) and exits 1.
 * The first SIGTERM/SIGINT stops gracefully and exits 0; a second one exits 1 at once.
 */
export function runService<C extends BaseConfig>(
  options: ServiceOptions<C>,
  io: ProcessIo = processIo,
): Promise<ServiceHandle<C> | undefined> {
  return runProcess(options.name, () => createService(options), io);
}

/**
 * runProcess is the process boundary of runService and runHttpService: start, report a failed start on stderr
 * (exit 1), stop on the first SIGTERM/SIGINT (exit 0, or 1 when the stop fails), exit 1 on a second signal, and,
 * when `forceAfterMs` gives a limit, exit 1 when the stop takes longer.
 */
export async function runProcess<H extends RunningProcess>(
  name: string,
  start: () => Promise<H>,
  io: ProcessIo = processIo,
  forceAfterMs?: (handle: H) => number,
): Promise<H | undefined> {
  let handle: H;
  try {
    handle = await start();
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr.write(`${name}: ${error.message}\n`);
    } else {
      io.stderr.write(
        `${name}: failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
      );
    }
    io.exit(1);
    return undefined;
  }
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (signalled) {
      handle.logger.warn({ signal }, 'second signal: exiting without waiting');
      io.exit(1);
      return;
    }
    signalled = true;
    handle.logger.info({ signal }, 'signal received: stopping');
    const limit = forceAfterMs?.(handle);
    const force =
      limit === undefined
        ? undefined
        : setTimeout(() => {
            handle.logger.error({ timeoutMs: limit }, 'shutdown timed out: exiting');
            io.exit(1);
          }, limit);
    force?.unref();
    handle.stop().then(
      () => {
        clearTimeout(force);
        for (const name of SIGNALS) io.signals.off(name, onSignal);
        io.exit(0);
      },
      (error: unknown) => {
        clearTimeout(force);
        handle.logger.error({ err: error }, 'stop failed');
        io.exit(1);
      },
    );
  };
  for (const name of SIGNALS) io.signals.on(name, onSignal);
  return handle;
}

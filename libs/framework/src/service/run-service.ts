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

/**
 * runService starts the service. A bad config prints one line per bad variable (no stack trace) and exits 1.
 * The first SIGTERM/SIGINT stops gracefully and exits 0; a second one exits 1 at once.
 */
export async function runService<C extends BaseConfig>(
  options: ServiceOptions<C>,
  io: ProcessIo = processIo,
): Promise<ServiceHandle<C> | undefined> {
  let handle: ServiceHandle<C>;
  try {
    handle = await createService(options);
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr.write(`${options.name}: ${error.message}\n`);
    } else {
      io.stderr.write(
        `${options.name}: failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
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
    handle.stop().then(
      () => {
        for (const name of SIGNALS) io.signals.off(name, onSignal);
        io.exit(0);
      },
      (error: unknown) => {
        handle.logger.error({ err: error }, 'stop failed');
        io.exit(1);
      },
    );
  };
  for (const name of SIGNALS) io.signals.on(name, onSignal);
  return handle;
}

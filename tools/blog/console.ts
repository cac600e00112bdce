// The web console on this checkout's stack: `npx blog console` alone, and started by `npm start` beside the apps.
//   CONSOLE_HOST (default the stack's host, 127.0.0.1), CONSOLE_PORT (default 8090), CONSOLE_TOKEN (needed for writes
//   when CONSOLE_HOST is not a loopback address), TRACE_VIEWER_URL, STUCK_AFTER_MS.
import { Ops, startConsole, usage, type RunningConsole } from '@blog/ops';
import { loadStackConfig, repoRoot } from '../stack/config';
import { opsTarget } from './target';

/** DEFAULT_CONSOLE_PORT is below the ephemeral range like every other default port (see README "Conventions"). */
export const DEFAULT_CONSOLE_PORT = 8090;

/** consolePort reads CONSOLE_PORT, refusing anything but a port number. */
export function consolePort(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env['CONSOLE_PORT'];
  if (raw === undefined || raw === '') return DEFAULT_CONSOLE_PORT;
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port < 0 || port > 65535) throw usage(`CONSOLE_PORT=${raw} is not a port number`);
  return port;
}

/** runConsole starts the console for the stack described by `env`. */
export async function runConsole(
  env: NodeJS.ProcessEnv = process.env,
): Promise<RunningConsole & { ops: Ops }> {
  const ops = new Ops(opsTarget(env), repoRoot);
  try {
    const running = await startConsole({
      ops,
      host: env['CONSOLE_HOST'] || loadStackConfig(env).host,
      port: consolePort(env),
      token: env['CONSOLE_TOKEN'] || undefined,
    });
    return {
      ops,
      url: running.url,
      close: async () => {
        await running.close();
        await ops.close();
      },
    };
  } catch (error) {
    await ops.close();
    throw error;
  }
}

// `npm start [-- --fresh] [-- --no-build] [-- --keep-stack] [-- --replicas N] [-- --no-zipkin]`: the stack, a build, then the six
// services (N instances each, REPLICAS=N works too) and the gateway in the foreground with prefixed logs. Ctrl-C (SIGINT) or SIGTERM stops the apps in reverse order, then
// the stack (unless --keep-stack).
import { existsSync } from 'node:fs';
import {
  appEntry,
  ensureStackUp,
  ephemeralRange,
  inRange,
  loadStackConfig,
  stackDown,
  stackInfo,
  StackError,
} from '../stack';
import { runConsole } from '../blog/console';
import { zipkinEnabled, zipkinUrl } from '../stack/zipkin/zipkin';
import {
  appSpecs,
  consoleEnv,
  buildApps,
  hasSource,
  replicasFrom,
  requireAppPortsFree,
  startApp,
  stopAppsInReverse,
  type RunningApp,
} from './apps';

/** main runs the stack and the apps until SIGINT/SIGTERM; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const flags = new Set(argv);
  // `--no-zipkin` is STACK_ZIPKIN=0: the stack leaves the trace viewer out and the apps export no spans.
  if (flags.has('--no-zipkin')) process.env['STACK_ZIPKIN'] = '0';
  const config = loadStackConfig();
  // Read before anything starts: a bad count is one line, with nothing left half-started.
  const replicas = replicasFrom(argv);
  const say = (line: string) => console.log(`[start] ${line}`);

  // `npm start | tee log`: Ctrl-C kills tee too, and a write to the broken pipe must not abort the shutdown.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);

  let stopRequested: () => void = () => undefined;
  const stop = new Promise<void>((resolve) => (stopRequested = resolve));
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return say(`${signal} again: still stopping, please wait`);
    stopping = true;
    say(`${signal}: stopping`);
    stopRequested();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const apps: RunningApp[] = [];
  let consoleServer: Awaited<ReturnType<typeof runConsole>> | undefined;
  const shutdown = async (code: number): Promise<number> => {
    await consoleServer?.close().catch(() => undefined);
    if (apps.length > 0) say('stopping apps');
    await stopAppsInReverse(apps, say);
    if (flags.has('--keep-stack')) return code;
    say('stopping the stack');
    await stackDown({ config, log: (line) => say(line) });
    return code;
  };

  try {
    await ensureStackUp({
      config,
      fresh: flags.has('--fresh') || process.env['STACK_FRESH'] === '1',
      log: say,
    });
    if (stopping) return await shutdown(0);

    let specs = appSpecs(config, stackInfo(config), process.env, replicas).filter((spec) =>
      hasSource(config, spec.name),
    );
    if (specs.length === 0) say('no app has a src/main.ts yet: only the stack runs');
    if (!flags.has('--no-build') && specs.length > 0) {
      const names = [...new Set(specs.map((s) => s.name))];
      say(`building ${names.join(', ')}`);
      if (!buildApps(config, names)) {
        throw new StackError(
          'the build failed (see above): fix it, or run `npm start -- --no-build` to start the last build',
        );
      }
    }
    if (stopping) return await shutdown(0);

    const built = specs.filter((spec) => existsSync(appEntry(config, spec.name)));
    for (const spec of specs)
      if (!built.includes(spec)) say(`${spec.name} has no build output (dist/main.js): not started`);
    specs = built;
    const range = ephemeralRange();
    const risky = [
      ...Object.entries(config.ports).map(([part, port]) => `${port} (${part})`),
      ...specs.flatMap((s) => s.ports.map((port) => `${port} (${s.instance})`)),
    ].filter((entry) => inRange(Number.parseInt(entry, 10), range));
    if (risky.length > 0) {
      say(
        `warning: ${risky.join(', ')} lie in this machine's ephemeral range ${range.first}-${range.last}, where an ` +
          `outgoing connection can hold a port nobody listens on; ports below ${range.first} are safe`,
      );
    }
    await requireAppPortsFree(specs);
    const width = Math.max(0, ...specs.map((s) => s.instance.length));
    for (const spec of specs) {
      const app = startApp(config, spec, `[${spec.instance.padEnd(width)}]`);
      apps.push(app);
      void app.exited.then((code) => !stopping && say(`${spec.instance} exited with code ${code}`));
    }
    // The web console reads the same nodes the launcher started (replicas included); CONSOLE=0 leaves it out.
    if (process.env['CONSOLE'] !== '0') {
      consoleServer = await runConsole({ ...process.env, ...consoleEnv(specs) }).catch((error: unknown) => {
        say(`console not started: ${(error as Error).message}`);
        return undefined;
      });
    }
    const traces = zipkinEnabled()
      ? `traces on ${zipkinUrl(config)}/zipkin/`
      : 'no trace viewer (STACK_ZIPKIN=0)';
    say(
      `running ${specs.map((s) => s.instance).join(', ') || 'no app'}; gateway on http://${config.host}:${config.ports.gateway}` +
        `${consoleServer ? `; console on ${consoleServer.url}` : ''}; ${traces}; Ctrl-C stops everything`,
    );
    await stop;
    return await shutdown(0);
  } catch (error) {
    await shutdown(1).catch(() => undefined);
    throw error;
  }
}

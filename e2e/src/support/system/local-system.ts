// Local mode: the local stack (`npm run stack:up`'s machinery, brought up only if it is not up, through a test
// lease so parallel test projects share it), a build of the seven apps, and the apps as child processes, like
// `npm start`. At the end the apps stop in reverse order and the stack goes down only if this run started it.
import { TOOLS_KAFKA_USER } from '@blog/catalog';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { appNames, type AppName, type ControlResult, type ProcessControl } from '../control/process-control';
import {
  acquireTestStack,
  appEntry,
  appSpecs,
  buildApps,
  hasSource,
  loadStackConfig,
  stopAppsInReverse,
  stopProcessGroup,
  type AppSpec,
  type RunningApp,
  type StackConfig,
} from '../tooling';
import {
  appLogFile,
  busyPorts,
  choosePorts,
  e2eEnv,
  gatewayPort,
  launchApp,
  replicaSpec,
  shiftPorts,
} from './apps';
import { startConnect, startKafka, stopConnect, stopKafka } from './stack-parts';
import { waitForHttp200, type RunningSystem } from './system';

/** LocalOptions tune the local mode (from the E2E_* variables, see README). */
export interface LocalOptions {
  log: (line: string) => void;
  /** skipBuild starts the last build (E2E_SKIP_BUILD=1). */
  skipBuild: boolean;
  /** portOffset moves every app port (E2E_PORT_OFFSET); undefined: defaults, or the first free offset. */
  portOffset: number | undefined;
}

/** startLocalSystem brings the stack up, builds and starts the apps; it does not wait for readiness. */
export async function startLocalSystem(options: LocalOptions): Promise<RunningSystem> {
  const { log } = options;
  const config = loadStackConfig();
  const stack = await acquireTestStack({ config, log: (line) => log(`stack: ${line}`) });
  const apps = new LocalApps(config, join(config.logDir, 'e2e'), log);
  try {
    const specs = appSpecs(config, stack.info);
    const missing = specs.filter((spec) => !hasSource(config, spec.name)).map((spec) => spec.name);
    if (missing.length > 0) throw new Error(`apps without src/main.ts: ${missing.join(', ')}`);
    if (!options.skipBuild) {
      const started = Date.now();
      log(`building ${specs.map((s) => s.name).join(', ')}`);
      if (
        !buildApps(
          config,
          specs.map((s) => s.name),
        )
      )
        throw new Error('the build failed (see above)');
      log(`built in ${((Date.now() - started) / 1000).toFixed(1)}s`);
    }
    const unbuilt = specs.filter((spec) => !existsSync(appEntry(config, spec.name))).map((spec) => spec.name);
    if (unbuilt.length > 0) throw new Error(`no build output (dist/main.js) for ${unbuilt.join(', ')}`);
    const withEnv = specs.map((spec) => ({ ...spec, env: { ...spec.env, ...e2eEnv } }));
    apps.specs = await choosePorts(withEnv, options.portOffset, log);
    // Two instances of every service, on the same offset, for startServiceReplicas.
    const offset = (apps.specs[0]?.ports[0] ?? 0) - (withEnv[0]?.ports[0] ?? 0);
    apps.scaledSpecs = shiftPorts(
      appSpecs(config, stack.info, process.env, 2).map((spec) => ({
        ...spec,
        env: { ...spec.env, ...e2eEnv },
      })),
      offset,
    );
    for (const name of appNames) apps.launch(name);
    log(`apps started; logs in ${apps.logDir}`);
  } catch (error) {
    await apps.stopAll();
    await stack.release();
    throw error;
  }
  return {
    baseUrl: `http://${config.host}:${gatewayPort(apps.specs)}`,
    kafkaBrokers: stack.info.kafkaBrokers,
    kafkaSasl: stack.info.kafkaUsers[TOOLS_KAFKA_USER],
    control: apps,
    logDir: apps.logDir,
    appPorts: Object.fromEntries(apps.specs.map((spec) => [spec.instance, spec.ports])),
    stop: async () => {
      await apps.stopAll();
      if (await stack.release()) log('stack: down (this run had started it)');
    },
  };
}

/** LocalApps runs the apps and is the local ProcessControl. */
class LocalApps implements ProcessControl {
  specs: AppSpec[] = [];
  /** scaledSpecs are the specs of `--replicas 2`: two instances of each service, a gateway that calls both. */
  scaledSpecs: AppSpec[] = [];
  private readonly running = new Map<AppName, RunningApp>();
  private replica: RunningApp | undefined;
  /** serviceReplicas are the second instances of the services while startServiceReplicas is in effect. */
  private readonly serviceReplicas = new Map<string, RunningApp>();

  constructor(
    private readonly config: StackConfig,
    readonly logDir: string,
    private readonly log: (line: string) => void,
  ) {}

  launch(name: AppName): RunningApp {
    const spec = this.specs.find((s) => s.name === name);
    if (!spec) throw new Error(`no spec for ${name}`);
    const app = launchApp(this.config, spec, this.logDir);
    this.running.set(name, app);
    void app.exited.then((code) => {
      if (this.running.get(name) !== app) return;
      this.running.delete(name);
      this.log(`${name} exited with code ${code}: ${this.tail(name)}`);
    });
    return app;
  }

  /** tail returns the last lines of an app's log, for error messages. */
  tail(name: string, lines = 5): string {
    const file = appLogFile(this.logDir, name);
    if (!existsSync(file)) return '(no log)';
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  }

  async stopAll(): Promise<void> {
    await this.stopGatewayReplica();
    await this.stopSecondInstances();
    const apps = appNames.map((name) => this.running.get(name)).filter((app): app is RunningApp => !!app);
    this.running.clear();
    await stopAppsInReverse(apps, (line) => this.log(line));
  }

  async startGatewayReplica(): Promise<ControlResult> {
    const started = Date.now();
    const gatewaySpec = this.specs.find((s) => s.name === 'api-gateway');
    if (!gatewaySpec) throw new Error('no gateway spec');
    // +7 keeps clear of the seven apps' consecutive default ports (7051-7056, 9100-9106; 8080).
    const spec = replicaSpec(gatewaySpec, 7, { ACCOUNT_STATUS_TTL_MS: '600000' });
    const url = `http://${this.config.host}:${spec.env['GATEWAY_PORT']}`;
    if (this.replica) return { outcome: 'already running', ms: 0, url };
    const replica = launchApp(this.config, spec, this.logDir, 'api-gateway-replica');
    this.replica = replica;
    await waitForHttp200(`${url}/readyz`, 60_000, () =>
      replica.child.exitCode === null && replica.child.signalCode === null
        ? undefined
        : 'the gateway replica exited during start-up',
    );
    return { outcome: 'started', ms: Date.now() - started, url };
  }

  async stopGatewayReplica(): Promise<ControlResult> {
    const started = Date.now();
    const replica = this.replica;
    this.replica = undefined;
    if (!replica?.child.pid) return { outcome: 'not running', ms: 0 };
    const outcome = await stopProcessGroup(replica.child.pid, { signal: 'SIGTERM', timeoutMs: 15_000 });
    await replica.exited;
    return { outcome, ms: Date.now() - started };
  }

  async startServiceReplicas(): Promise<ControlResult> {
    const started = Date.now();
    if (this.serviceReplicas.size > 0) return { outcome: 'already running', ms: 0 };
    const seconds = this.scaledSpecs.filter((spec) => spec.instance !== spec.name);
    const busy = await busyPorts(seconds);
    if (busy.length > 0) throw new Error(`ports ${busy.join(', ')} of the second instances are taken`);
    for (const spec of seconds)
      this.serviceReplicas.set(spec.instance, launchApp(this.config, spec, this.logDir));
    await Promise.all(
      seconds.map((spec) =>
        waitForHttp200(`http://${this.config.host}:${spec.env['ADMIN_PORT']}/readyz`, 60_000, () => {
          const app = this.serviceReplicas.get(spec.instance);
          return app && app.child.exitCode === null && app.child.signalCode === null
            ? undefined
            : `${spec.instance} exited during start-up: ${this.tail(spec.instance)}`;
        }),
      ),
    );
    await this.restartGatewayWith(this.scaledSpecs);
    const adminUrls = Object.fromEntries(
      this.scaledSpecs
        .filter((spec) => spec.name !== 'api-gateway')
        .map((spec) => [spec.instance, `http://${this.config.host}:${spec.env['ADMIN_PORT']}`]),
    );
    return {
      outcome: `started ${seconds.map((s) => s.instance).join(', ')}`,
      ms: Date.now() - started,
      adminUrls,
    };
  }

  async stopServiceReplicas(): Promise<ControlResult> {
    const started = Date.now();
    if (this.serviceReplicas.size === 0) return { outcome: 'not running', ms: 0 };
    // The gateway first, so it stops calling the instances about to go; any first instance a test killed comes back.
    for (const name of appNames)
      if (name !== 'api-gateway' && !this.running.has(name)) await this.startApp(name);
    await this.restartGatewayWith(this.specs);
    await this.stopSecondInstances();
    return { outcome: 'stopped the second instances', ms: Date.now() - started };
  }

  private async stopSecondInstances(): Promise<void> {
    const seconds = [...this.serviceReplicas.values()];
    this.serviceReplicas.clear();
    await stopAppsInReverse(seconds, (line) => this.log(line));
  }

  /** restartGatewayWith stops the gateway and starts it with the gateway spec from `specs` (same ports). */
  private async restartGatewayWith(specs: readonly AppSpec[]): Promise<void> {
    const spec = specs.find((s) => s.name === 'api-gateway');
    if (!spec) throw new Error('no gateway spec');
    await this.halt('api-gateway', 'SIGTERM');
    this.specs = this.specs.map((s) => (s.name === 'api-gateway' ? spec : s));
    await this.startApp('api-gateway');
    await waitForHttp200(
      `http://${this.config.host}:${spec.env['GATEWAY_PORT']}/readyz`,
      60_000,
      () => undefined,
    );
  }

  async stopApp(name: AppName): Promise<ControlResult> {
    return this.halt(name, 'SIGTERM');
  }

  async killApp(name: AppName): Promise<ControlResult> {
    return this.halt(name, 'SIGKILL');
  }

  async startApp(name: AppName): Promise<ControlResult> {
    const started = Date.now();
    if (this.running.has(name)) return { outcome: 'already running', ms: 0 };
    const app = this.launch(name);
    const admin = `http://${this.config.host}:${app.spec.env['ADMIN_PORT']}/readyz`;
    await waitForHttp200(admin, 60_000, () =>
      this.running.get(name) === app ? undefined : `${name} exited during start-up: ${this.tail(name)}`,
    );
    return { outcome: 'started', ms: Date.now() - started };
  }

  stopKafka = () => stopKafka(this.config);
  startKafka = () => startKafka(this.config);
  stopConnect = () => stopConnect(this.config);
  startConnect = () => startConnect(this.config);

  private async halt(name: AppName, signal: 'SIGTERM' | 'SIGKILL'): Promise<ControlResult> {
    const started = Date.now();
    const app = this.running.get(name);
    if (!app?.child.pid) return { outcome: 'not running', ms: 0 };
    this.running.delete(name);
    const timeoutMs = Number(process.env['SHUTDOWN_TIMEOUT_MS'] || 10_000) + 5_000;
    const outcome = await stopProcessGroup(app.child.pid, { signal, timeoutMs });
    await app.exited;
    return { outcome: signal === 'SIGKILL' ? 'killed' : outcome, ms: Date.now() - started };
  }
}

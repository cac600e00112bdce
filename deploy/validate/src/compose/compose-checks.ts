// Project rules for deploy/docker-compose.yml beyond the schema: every app, its variables and ports, health checks,
// start order, the topics, the connector's environment and the database bootstrap.
import {
  apps,
  gatewayCallees,
  GATEWAY_PORT,
  infraPorts,
  serviceAddrVar,
  services,
  type AppSpec,
} from '../apps';
import { type BootstrapFacts } from '../bootstrap-sql';
import { type ConnectorSource, envPlaceholders } from '../connector';
import { type AppConfigs } from '../app-env/config-schema';
import { checkComposeAppEnvs } from './app-env-rules';
import { type ComposeFile, type ComposeService, environmentOf } from './compose-file';
import { interpolate, type Reference } from './interpolate';
import { validateComposeSchema } from './compose-schema';

export { type ComposeFile, environmentOf } from './compose-file';

/** ComposeContext is everything the rules compare the compose file with. */
export interface ComposeContext {
  /** envExample is deploy/.env.example, parsed. */
  envExample: Record<string, string>;
  connector: ConnectorSource;
  bootstrap: BootstrapFacts;
  /** topics are the event topics and their dead-letter twins. */
  topics: readonly string[];
  /** configs are the apps' environment schemas, read from their sources. */
  configs: AppConfigs;
}

const DOCKERFILE = 'deploy/docker/Dockerfile';

const isOneShot = (s: ComposeService) => s.restart === 'no';

/** checkCompose returns every problem of a parsed compose document (empty when it is right). */
export function checkCompose(raw: ComposeFile, ctx: ComposeContext): string[] {
  const problems: string[] = [];
  // Validate as Docker would run it with no .env (the defaults) and with the example .env: both must be valid.
  const withDefaults = interpolate(raw, {});
  const withExample = interpolate(raw, ctx.envExample);
  problems.push(
    ...withDefaults.errors,
    ...validateComposeSchema(withDefaults.value),
    ...validateComposeSchema(withExample.value),
  );
  const doc = withDefaults.value;
  if (!doc.services || typeof doc.services !== 'object') return [...problems, 'compose: no services'];

  problems.push(...checkEnvFile(withDefaults.references, ctx.envExample));
  for (const app of apps) problems.push(...checkApp(doc, app));
  problems.push(...checkComposeAppEnvs(raw, doc, ctx.configs));
  problems.push(...checkHealthAndOrder(doc));
  problems.push(...checkInfra(doc, ctx));
  problems.push(...checkBuiltHere(doc));
  return problems;
}

/**
 * checkBuiltHere: every image of the default profile is built from this repository (nothing to pull but the Debian
 * base its Dockerfiles start from, which tools/compose/base-image.sh seeds where no registry answers), builds use
 * the host's network (a private daemon has no NAT rules), and nothing forces a pull.
 */
function checkBuiltHere(doc: ComposeFile): string[] {
  const problems: string[] = [];
  const built = new Set(
    Object.values(doc.services)
      .filter((s) => s.build && s.image)
      .map((s) => s.image),
  );
  for (const [name, svc] of Object.entries(doc.services)) {
    if (svc.profiles?.length) continue;
    if (!svc.build && !built.has(svc.image))
      problems.push(
        `compose service ${name}: its image must be built from this repository (a build section)`,
      );
    if (svc.build && svc.build.network !== 'host')
      problems.push(`compose service ${name}: must build with network: host (a daemon without NAT rules)`);
    if (svc.pull_policy === 'always') problems.push(`compose service ${name}: must not force a pull`);
  }
  return problems;
}

/** checkEnvFile: every variable with a default is in .env.example with that same value, and nothing else is there. */
function checkEnvFile(references: Reference[], example: Record<string, string>): string[] {
  const problems: string[] = [];
  const used = new Map<string, string | undefined>();
  for (const ref of references)
    if (!used.has(ref.name) || ref.fallback !== undefined) used.set(ref.name, ref.fallback);
  for (const [name, fallback] of used) {
    if (fallback === undefined) {
      if (!(name in example))
        problems.push(`.env.example: ${name} is used without a default but not documented`);
    } else if (example[name] !== fallback) {
      problems.push(
        `.env.example: ${name}=${example[name] ?? '(missing)'} but docker-compose.yml defaults it to "${fallback}"`,
      );
    }
  }
  for (const name of Object.keys(example)) {
    if (!used.has(name)) problems.push(`.env.example: ${name} is not used by docker-compose.yml`);
  }
  return problems;
}

function checkApp(doc: ComposeFile, app: AppSpec): string[] {
  const svc = doc.services[app.name];
  const where = `compose service ${app.name}`;
  if (!svc) return [`${where}: missing`];
  const problems: string[] = [];
  if (
    svc.build?.dockerfile !== DOCKERFILE ||
    svc.build?.args?.APP !== app.name ||
    svc.build?.context !== '..'
  ) {
    problems.push(`${where}: must build context .. with ${DOCKERFILE} and args.APP=${app.name}`);
  }
  // Which variables must be set, and to what kind of value, is app-env-rules.ts's part (the apps' schemas).
  const env = environmentOf(svc);
  if (env.ADMIN_PORT !== String(app.adminPort))
    problems.push(`${where}: ADMIN_PORT must be ${app.adminPort}, got ${env.ADMIN_PORT}`);
  if (app.kind === 'service') {
    if (env.GRPC_PORT !== String(app.grpcPort))
      problems.push(`${where}: GRPC_PORT must be ${app.grpcPort}, got ${env.GRPC_PORT}`);
    const url = env.DATABASE_URL ? new URL(env.DATABASE_URL) : undefined;
    if (
      !url ||
      url.username !== app.dbRole ||
      url.hostname !== 'postgres' ||
      url.port !== '5432' ||
      url.pathname !== '/blog'
    ) {
      problems.push(
        `${where}: DATABASE_URL must be postgres://${app.dbRole}:...@postgres:5432/blog, got ${env.DATABASE_URL}`,
      );
    }
    if (env.KAFKA_BROKERS !== 'kafka:29092')
      problems.push(`${where}: KAFKA_BROKERS must be kafka:29092 (the internal listener)`);
  } else {
    if (env.REGISTRY !== 'dns')
      problems.push(`${where}: REGISTRY must be dns (compose service names resolve to every replica)`);
    for (const target of gatewayCallees) {
      const addr = env[serviceAddrVar(target.name)];
      if (addr !== `${target.name}:${target.grpcPort}`)
        problems.push(
          `${where}: ${serviceAddrVar(target.name)} must be ${target.name}:${target.grpcPort}, got ${addr}`,
        );
    }
    if (env.GATEWAY_PORT !== String(GATEWAY_PORT))
      problems.push(`${where}: GATEWAY_PORT must be ${GATEWAY_PORT}`);
    if (!publishes(svc, GATEWAY_PORT, GATEWAY_PORT))
      problems.push(`${where}: must publish ${GATEWAY_PORT}:${GATEWAY_PORT}`);
  }
  for (const caller of app.callers) {
    const deps = dependsOn(doc.services[caller] ?? {});
    if (deps[app.name] !== 'service_healthy')
      problems.push(`compose service ${caller}: must depend on ${app.name} being healthy`);
  }
  return problems;
}

/** dependsOn returns each dependency with its condition (short list form means service_started). */
function dependsOn(svc: ComposeService): Record<string, string> {
  const deps = svc.depends_on ?? {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((d) => [d, 'service_started']));
  return Object.fromEntries(
    Object.entries(deps).map(([name, d]) => [name, d.condition ?? 'service_started']),
  );
}

/** checkHealthAndOrder: long-running services have health checks; every dependency waits for health or completion. */
function checkHealthAndOrder(doc: ComposeFile): string[] {
  const problems: string[] = [];
  for (const [name, svc] of Object.entries(doc.services)) {
    const hc = svc.healthcheck;
    const hasHealth =
      !!hc && !hc.disable && hc.test !== undefined && !(Array.isArray(hc.test) && hc.test[0] === 'NONE');
    if (!isOneShot(svc) && !hasHealth) problems.push(`compose service ${name}: no healthcheck`);
    for (const [dep, condition] of Object.entries(dependsOn(svc))) {
      const target = doc.services[dep];
      if (!target) {
        problems.push(`compose service ${name}: depends on unknown service ${dep}`);
        continue;
      }
      const expected = isOneShot(target) ? 'service_completed_successfully' : 'service_healthy';
      if (condition !== expected)
        problems.push(
          `compose service ${name}: depends_on ${dep} must use condition ${expected}, got ${condition}`,
        );
      const inProfile = (s: ComposeService) => s.profiles ?? [];
      if (inProfile(target).some((p) => !inProfile(svc).includes(p)))
        problems.push(`compose service ${name}: depends on ${dep}, which only runs in a profile`);
    }
  }
  const cycle = findCycle(doc);
  if (cycle) problems.push(`compose: depends_on cycle ${cycle.join(' -> ')}`);
  return problems;
}

function findCycle(doc: ComposeFile): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, trail: string[]): string[] | undefined => {
    if (state.get(name) === 'visiting') return [...trail, name];
    if (state.get(name) === 'done' || !doc.services[name]) return undefined;
    state.set(name, 'visiting');
    for (const dep of Object.keys(dependsOn(doc.services[name]))) {
      const found = visit(dep, [...trail, name]);
      if (found) return found;
    }
    state.set(name, 'done');
    return undefined;
  };
  for (const name of Object.keys(doc.services)) {
    const found = visit(name, []);
    if (found) return found;
  }
  return undefined;
}

function publishes(svc: ComposeService, published: number, target: number): boolean {
  return (svc.ports ?? []).some((p) =>
    typeof p === 'string'
      ? p.endsWith(`:${published}:${target}`) || p === `${published}:${target}`
      : Number(p.published) === published && p.target === target,
  );
}

/** checkInfra: the data tier matches the local stack and the single sources (topics, connector, bootstrap SQL). */
function checkInfra(doc: ComposeFile, ctx: ComposeContext): string[] {
  const problems: string[] = [];
  const { postgres, kafka, connect } = doc.services;
  const topicsJob = doc.services['kafka-topics'];
  const register = doc.services['connect-register'];
  if (!postgres || !kafka || !connect || !topicsJob || !register)
    return ['compose: postgres, kafka, kafka-topics, connect and connect-register are all required'];

  const pgCommand = ([] as string[]).concat(postgres.command ?? []).join(' ');
  if (!/wal_level=logical/.test(pgCommand))
    problems.push('compose service postgres: must run with wal_level=logical');
  if (topicsJob.build?.target !== 'workspace')
    problems.push('compose service kafka-topics: must run in the workspace image (target workspace)');
  if (postgres.build?.dockerfile !== 'deploy/docker/postgres/Dockerfile')
    problems.push(
      'compose service postgres: must build deploy/docker/postgres/Dockerfile (Debian PostgreSQL)',
    );
  for (const [name, svc, target] of [
    ['kafka', kafka, 'kafka'],
    ['connect', connect, 'connect'],
  ] as const) {
    if (svc.build?.dockerfile !== 'deploy/docker/jvm/Dockerfile' || svc.build.target !== target)
      problems.push(`compose service ${name}: must build deploy/docker/jvm/Dockerfile, target ${target}`);
  }
  if (!/KRaft|broker,controller/.test(JSON.stringify(kafka.environment)))
    problems.push('compose service kafka: must run in KRaft mode (broker,controller)');
  for (const [name, svc, port] of [
    ['postgres', postgres, infraPorts.postgres],
    ['kafka', kafka, infraPorts.kafka],
    ['connect', connect, infraPorts.connect],
  ] as const) {
    if (!(svc.ports ?? []).some((p) => typeof p === 'string' && p.includes(`:${port}:`)))
      problems.push(`compose service ${name}: must publish the local stack's port ${port}`);
  }

  const topics = String(environmentOf(topicsJob).TOPICS ?? '')
    .split(/\s+/)
    .filter(Boolean);
  if ([...topics].sort().join() !== [...ctx.topics].sort().join()) {
    problems.push(
      `compose service kafka-topics: TOPICS must be exactly ${ctx.topics.join(' ')}; got ${topics.join(' ')}`,
    );
  }

  const connectEnv = environmentOf(connect);
  for (const name of envPlaceholders(ctx.connector)) {
    if (!connectEnv[name])
      problems.push(`compose service connect: ${name} (used as \${env:${name}} by the connector) is not set`);
  }
  if (
    connectEnv.CONNECT_CONFIG_PROVIDERS !== 'env' ||
    !/EnvVarConfigProvider$/.test(connectEnv.CONNECT_CONFIG_PROVIDERS_ENV_CLASS ?? '')
  ) {
    problems.push(
      'compose service connect: the env config provider (EnvVarConfigProvider) must be configured',
    );
  }
  const allow = connectEnv.CONNECT_CONFIG_PROVIDERS_ENV_PARAM_ALLOWLIST_PATTERN;
  for (const name of envPlaceholders(ctx.connector)) {
    if (allow && !new RegExp(allow).test(name))
      problems.push(`compose service connect: ${name} is outside the provider's allowlist ${allow}`);
  }
  if (
    Object.keys(ctx.connector.config).some((k) => k.startsWith('producer.override.')) &&
    connectEnv.CONNECT_CONNECTOR_CLIENT_CONFIG_OVERRIDE_POLICY !== 'All'
  ) {
    problems.push(
      'compose service connect: the connector sets producer.override.*, so connector.client.config.override.policy must be All',
    );
  }
  if (connectEnv.DEBEZIUM_PG_HOST !== undefined && connectEnv.DEBEZIUM_PG_HOST !== 'postgres')
    problems.push('compose service connect: DEBEZIUM_PG_HOST must be postgres');

  const registerCommand = ([] as string[]).concat(register.command ?? []).join(' ');
  if (!/connect.*register/.test(registerCommand) || !isOneShot(register)) {
    problems.push(
      'compose service connect-register: must be a one-shot job running the Connect client register command',
    );
  }
  problems.push(...checkConnectorLiveness(doc, ctx));
  problems.push(...checkConnectorAgainstDatabase(ctx.connector, ctx.bootstrap));
  return problems;
}

/**
 * checkConnectorLiveness: Connect's REST status says RUNNING while an orphaned Debezium task holds the slot after a
 * long Kafka outage (DBZ-9617), so the worker's health alone never restarts it. connect-watchdog must watch the
 * connector (with every variable it needs), and Connect's healthcheck must stop the worker on the watchdog's 503,
 * with a restart policy that brings it back.
 */
function checkConnectorLiveness(doc: ComposeFile, ctx: ComposeContext): string[] {
  const problems: string[] = [];
  const connect = doc.services['connect'];
  const watchdog = doc.services['connect-watchdog'];
  if (!watchdog)
    return ['compose: connect-watchdog is required (the connector liveness, see deploy/connector/README.md)'];
  const command = ([] as string[]).concat(watchdog.command ?? []).join(' ');
  if (!/connect.*watchdog/.test(command))
    problems.push('compose service connect-watchdog: must run the Connect client watchdog command');
  const env = environmentOf(watchdog);
  for (const name of ['CONNECT_URL', 'KAFKA_BROKERS', 'WATCHDOG_PORT', ...envPlaceholders(ctx.connector)]) {
    if (!env[name]) problems.push(`compose service connect-watchdog: ${name} is not set`);
  }
  const health = ([] as string[]).concat(connect?.healthcheck?.test ?? []).join(' ');
  if (!health.includes(`connect-watchdog:${env.WATCHDOG_PORT}/live`) || !/kill 1/.test(health))
    problems.push(
      'compose service connect: the healthcheck must stop the worker when connect-watchdog /live answers 503',
    );
  if (connect?.restart !== 'unless-stopped' && connect?.restart !== 'always')
    problems.push(
      'compose service connect: needs restart: unless-stopped, so a worker stopped by its healthcheck comes back',
    );
  return problems;
}

/** checkConnectorAgainstDatabase: the connector streams the publication, tables and heartbeat the bootstrap creates. */
export function checkConnectorAgainstDatabase(
  connector: ConnectorSource,
  bootstrap: BootstrapFacts,
): string[] {
  const problems: string[] = [];
  const c = connector.config;
  if ((c['publication.name'] ?? 'dbz_publication') !== bootstrap.publication) {
    problems.push(
      `connector publication.name ${c['publication.name']} differs from the bootstrap's publication ${bootstrap.publication}`,
    );
  }
  if (c['publication.autocreate.mode'] !== 'disabled')
    problems.push('connector: publication.autocreate.mode must be disabled (bootstrap.sql creates it)');
  const include = new RegExp(`^(?:${c['table.include.list'] ?? '.*'})$`);
  const outboxes = Object.keys(bootstrap.schemaRoles).map((schema) => `${schema}.outbox`);
  for (const table of outboxes) {
    if (!bootstrap.publicationTables.includes(table))
      problems.push(`bootstrap.sql: publication misses ${table}`);
    if (!include.test(table)) problems.push(`connector table.include.list does not match ${table}`);
  }
  if (!bootstrap.publicationTables.includes('debezium.heartbeat'))
    problems.push('bootstrap.sql: publication misses debezium.heartbeat');
  const hb = /INSERT INTO debezium\.heartbeat\s*\(([^)]+)\)/i.exec(c['heartbeat.action.query'] ?? '');
  if (!hb) problems.push('connector: heartbeat.action.query must write debezium.heartbeat');
  else
    for (const column of hb[1].split(',').map((s) => s.trim())) {
      if (!bootstrap.heartbeatColumns.includes(column))
        problems.push(`connector heartbeat writes column ${column}, which debezium.heartbeat lacks`);
    }
  const expectedRoles = Object.fromEntries(services.map((s) => [s.schema, s.dbRole]));
  if (JSON.stringify(bootstrap.schemaRoles) !== JSON.stringify(expectedRoles)) {
    problems.push(
      `bootstrap.sql: schemas and roles must be ${JSON.stringify(expectedRoles)}, got ${JSON.stringify(bootstrap.schemaRoles)}`,
    );
  }
  return problems;
}

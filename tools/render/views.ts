// What each rendered file needs from the catalog, one function per region or file. Every list of services outside
// libs/catalog is one of these views (tools/render/targets.ts says which file holds which).
import {
  adminAddrVar,
  apps,
  calleesOf,
  dbPasswordVar,
  dbRoleOf,
  dbSecretOf,
  gateway,
  imageOf,
  KAFKA_ADMIN_USER,
  kafkaPasswordVar,
  kafkaUserOf,
  kafkaUsers,
  type ServiceEntry,
  serviceAddrVar,
  services,
  workloadIdentities,
} from '@blog/catalog';
import { commentLines, envMap, indent } from './yaml-text';

const lines = (l: readonly string[]) => l.join('\n');

/** gatewayFirst lists the apps with the gateway first, the order of the lists that name images and projects. */
const gatewayFirst = () => [gateway, ...services];

/** composeStartOrder is the compose file's comment line on the order the apps start in. */
export const composeStartOrder = () =>
  `#   -> ${services.map((s) => s.name).join(', ')} (healthy on /readyz) -> ${gateway.name}`;

/** composeDbPasswords are the postgres container's role passwords (the init script sets them). */
export const composeDbPasswords = () =>
  lines(services.map((s) => `${dbPasswordVar(s.name)}: \${${dbPasswordVar(s.name)}:-dev-only-${s.name}}`));

/** composeKafkaPassword is a Kafka user's password in compose: deploy/.env's, or a DEV-ONLY default. */
export const composeKafkaPassword = (user: string): string =>
  `\${${kafkaPasswordVar(user)}:-dev-only-${user}}`;

/**
 * composeKafkaUsers are the broker's <USER>_KAFKA_PASSWORD variables (its entrypoint makes each a SCRAM user at the
 * first format): the super user and every principal of the catalog (libs/catalog kafka-acls.ts).
 */
export const composeKafkaUsers = () =>
  lines(
    [KAFKA_ADMIN_USER, ...kafkaUsers(services)].map(
      (user) => `${kafkaPasswordVar(user)}: ${composeKafkaPassword(user)}`,
    ),
  );

/** composeService is one service's compose block: the shared anchors, its ports, database URL and own settings. */
export function composeService(s: ServiceEntry): string {
  const d = s.deploy ?? {};
  const volumes = d.composeVolumes ?? [];
  return lines([
    `${s.name}:`,
    '  <<: *app',
    '  build:',
    '    <<: *app-build',
    '    args:',
    `      APP: ${s.name}`,
    `  image: ${imageOf(s.name)}:dev`,
    '  depends_on: *service-depends',
    '  environment:',
    '    <<: *service-env',
    `    GRPC_PORT: '${s.grpcPort}'`,
    `    ADMIN_PORT: '${s.adminPort}'`,
    `    DATABASE_URL: postgres://${dbRoleOf(s.name)}:\${${dbPasswordVar(s.name)}:-dev-only-${s.name}}@postgres:5432/blog`,
    `    KAFKA_USERNAME: ${kafkaUserOf(s.name)}`,
    `    KAFKA_PASSWORD: ${composeKafkaPassword(kafkaUserOf(s.name))}`,
    ...indent(envMap([...(d.settings ?? []), ...(d.compose ?? [])]), '    '),
    '  volumes:',
    `    - ${composeCertsMount(s.name)}`,
    ...volumes.flatMap((v) => indent([...commentLines(v.comment), `- ${v.mount}`], '    ')),
  ]);
}

/** certsVolume is the compose volume with one workload's certificate (the `certs` job writes it). */
const certsVolume = (name: string) => `certs-${name}`;

/** composeCertsMount mounts a workload's own certificate, read-only, where TLS_*_FILE point (x-app-env). */
export const composeCertsMount = (name: string) => `${certsVolume(name)}:/var/run/secrets/blog/tls:ro`;

/** composeCertsJobVolumes are the `certs` job's mounts: the CA's volume and every workload's. */
export const composeCertsJobVolumes = () =>
  lines([
    '- certs-ca:/certs/ca',
    ...workloadIdentities.map((name) => `- ${certsVolume(name)}:/certs/${name}`),
  ]);

/** composeCertsVolumes declare those volumes. */
export const composeCertsVolumes = () =>
  lines(['certs-ca:', ...workloadIdentities.map((name) => `${certsVolume(name)}:`)]);

/** composeServices are every service's compose blocks, a blank line apart. */
export const composeServices = () => services.map(composeService).join('\n\n');

/** composeGatewayDepends makes the gateway wait for every service it calls to be healthy. */
export const composeGatewayDepends = () =>
  lines(calleesOf(gateway.name).flatMap((s) => [`${s.name}:`, '  condition: service_healthy']));

/** composeServiceAddrs locate every service the gateway calls (compose DNS names). */
export const composeServiceAddrs = () =>
  lines(calleesOf(gateway.name).map((s) => `${serviceAddrVar(s.name)}: ${s.name}:${s.grpcPort}`));

/** composeConsoleAddrs locate every service's gRPC and every app's admin port for the console. */
export const composeConsoleAddrs = () =>
  lines([
    ...services.map((s) => `${serviceAddrVar(s.name)}: ${s.name}:${s.grpcPort}`),
    ...apps.map((a) => `${adminAddrVar(a.name)}: ${a.name}:${a.adminPort}`),
  ]);

/** prometheusJobs scrape every app's admin port through DNS service discovery. */
export const prometheusJobs = () =>
  lines(
    gatewayFirst().flatMap((a) => [
      `- job_name: ${a.name}`,
      '  dns_sd_configs:',
      `    - names: [${a.name}]`,
      '      type: A',
      `      port: ${a.adminPort}`,
    ]),
  );

/** sqlSchemas are the bootstrap's (schema, role) pairs. */
export const sqlSchemas = () =>
  services
    .map((s, i) => `('${s.schema}', '${dbRoleOf(s.name)}')${i < services.length - 1 ? ',' : ''}`)
    .join('\n');

/** sqlPublication lists every outbox table and the heartbeat for the connector's publication. */
export const sqlPublication = () =>
  `${services.map((s) => `${s.schema}.outbox`).join(', ')}, debezium.heartbeat;`;

/** envExampleKafkaPasswords are deploy/.env.example's Kafka user passwords. */
export const envExampleKafkaPasswords = () =>
  lines(
    [KAFKA_ADMIN_USER, ...kafkaUsers(services)].map((user) => `${kafkaPasswordVar(user)}=dev-only-${user}`),
  );

/** envExampleDbPasswords are deploy/.env.example's role passwords. */
export const envExampleDbPasswords = () =>
  lines(services.map((s) => `${dbPasswordVar(s.name)}=dev-only-${s.name}`));

/** dockerfileManifests copy each app's package.json before `npm ci` (a layer that changes only with them). */
export const dockerfileManifests = () =>
  lines(gatewayFirst().map((a) => `COPY apps/${a.name}/package.json apps/${a.name}/`));

/** dockerfileBuild builds every app. */
export const dockerfileBuild = () =>
  `RUN npx nx run-many -t build -p ${appsInBuildOrder().join(' ')} --parallel=2 --outputStyle=stream`;

/** dockerfileAppCheck refuses a build without APP, naming the apps. */
export const dockerfileAppCheck = () =>
  `RUN test -n "\${APP}" || { echo "build-arg APP is required (${appsInBuildOrder().join(', ')})" >&2; exit 1; }`;

const appsInBuildOrder = () => gatewayFirst().map((a) => a.name);

/** devSecretsLoop creates each service's database Secret in the dev script. */
export const devSecretsLoop = () =>
  `for svc in ${services.map((s) => s.name).join(' ')}; do basic_auth "blog-db-$svc" "\${svc}_svc"; done`;

/** ESLINT_SCOPES_INDENT is the scopes region's indentation in eslint.config.mjs (for prettier's line width). */
const ESLINT_SCOPES_INDENT = 12;
/** PRETTIER_PRINT_WIDTH is .prettierrc's printWidth: rendered lists break where prettier breaks them. */
export const PRETTIER_PRINT_WIDTH = 110;

/**
 * eslintScopes let each app depend on its own scope and the shared libraries only, written the way prettier prints
 * them (an object too long for one line is broken over three), so `npm run format:check` and the drift test agree.
 */
export const eslintScopes = () =>
  lines(
    gatewayFirst().map((a) => {
      const tag = `sourceTag: 'scope:${a.name}'`;
      const allowed = `onlyDependOnLibsWithTags: ['scope:${a.name}', 'scope:shared']`;
      const one = `{ ${tag}, ${allowed} },`;
      return ESLINT_SCOPES_INDENT + one.length <= PRETTIER_PRINT_WIDTH
        ? one
        : `{\n  ${tag},\n  ${allowed},\n},`;
    }),
  );

/** kustomizeAppResources are the base's app manifests. */
export const kustomizeAppResources = () => lines(apps.map((a) => `- apps/${a.name}.yaml`));

/** devImages tag every app image `dev`. */
export const devImages = () =>
  lines(gatewayFirst().flatMap((a) => [`- name: ${imageOf(a.name)}`, '  newTag: dev']));

/** prodImages take every app image from the registry at the release tag. */
export const prodImages = () =>
  lines(
    gatewayFirst().flatMap((a) => [
      `- name: ${imageOf(a.name)}`,
      `  newName: registry.example.com/${imageOf(a.name)}`,
      '  newTag: 0.1.0',
    ]),
  );

/** prodHeavyResources give the heavy services (deploy.heavy) more headroom in production. */
export const prodHeavyResources = () =>
  services
    .filter((s) => s.deploy?.heavy)
    .map((s) =>
      lines([
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata:',
        `  name: ${s.name}`,
        'spec:',
        '  template:',
        '    spec:',
        '      containers:',
        `        - name: ${s.name}`,
        '          resources:',
        '            requests:',
        '              cpu: 200m',
        '              memory: 192Mi',
        '            limits:',
        "              cpu: '1'",
        '              memory: 384Mi',
      ]),
    )
    .join('\n---\n');

/** cnpgRoles are the managed login roles whose passwords the operator sets from Secrets. */
export const cnpgRoles = () =>
  lines(
    services.flatMap((s) => [
      `- name: ${dbRoleOf(s.name)}`,
      '  ensure: present',
      '  login: true',
      '  passwordSecret:',
      `    name: ${dbSecretOf(s.name)}`,
    ]),
  );

/** k8sConsoleEnv locate every service's gRPC and every app's admin port for the console (container env). */
export const k8sConsoleEnv = () =>
  lines([
    ...services.flatMap((s) => [`- name: ${serviceAddrVar(s.name)}`, `  value: ${s.name}:${s.grpcPort}`]),
    ...apps.flatMap((a) => [`- name: ${adminAddrVar(a.name)}`, `  value: ${a.name}:${a.adminPort}`]),
  ]);

/** k8sConsoleEgress lets the console reach every app's gRPC and admin ports (one range each). */
export const k8sConsoleEgress = () => {
  const grpc = services.map((s) => s.grpcPort);
  const admin = apps.map((a) => a.adminPort);
  return lines([
    `- port: ${Math.min(...grpc)}`,
    `  endPort: ${Math.max(...grpc)}`,
    '  protocol: TCP',
    `- port: ${Math.min(...admin)}`,
    `  endPort: ${Math.max(...admin)}`,
    '  protocol: TCP',
  ]);
};

/** k8sGatewayAddrs locate the gateway's callees (headless Services: DNS returns every pod). */
export const k8sGatewayAddrs = () =>
  lines(calleesOf(gateway.name).map((s) => `${serviceAddrVar(s.name)}: ${s.name}:${s.grpcPort}`));

/** k8sEgressTo lets an app reach the gRPC port of each service it calls. */
export const k8sEgressTo = (app: string) =>
  lines(
    calleesOf(app).flatMap((s) => [
      '- to:',
      '    - podSelector:',
      '        matchLabels:',
      `          app.kubernetes.io/name: ${s.name}`,
      '  ports:',
      `    - port: ${s.grpcPort}`,
      '      protocol: TCP',
    ]),
  );

/** k8sServiceValues are the fields deploy/k8s/templates/service.yaml takes for one service. */
export function k8sServiceValues(s: ServiceEntry): Record<string, string> {
  const d = s.deploy ?? {};
  const callers = s.callers.join(', ');
  return {
    header: lines([
      `# Rendered by \`npm run render\` from deploy/k8s/templates/service.yaml and libs/catalog/src/services/${s.name}.ts:`,
      '# do not edit by hand.',
      `# ${s.name}: ${s.summary}${d.k8sNote ? ` ${d.k8sNote[0]}` : ''}`,
      ...(d.k8sNote ?? []).slice(1).map((l) => `# ${l}`),
      "# ServiceAccount + ConfigMap + headless Service (the gateway's REGISTRY=dns resolves every pod) + Deployment",
      `# + NetworkPolicy (ingress only from its callers: ${callers === '' ? 'none' : `the ${callers}`}; egress to PostgreSQL and Kafka).`,
      '# + Certificate (its mTLS identity, spiffe://blog.local/service/<name>, issued and renewed by cert-manager).',
    ]),
    name: s.name,
    image: imageOf(s.name),
    grpcPort: String(s.grpcPort),
    adminPort: String(s.adminPort),
    dbRole: dbRoleOf(s.name),
    dbSecret: dbSecretOf(s.name),
    config: lines(envMap([...(d.settings ?? []), ...(d.k8s ?? [])])),
    secretEnv: lines(
      (d.k8sSecrets ?? []).flatMap((e) => [
        ...commentLines(e.comment),
        `- name: ${e.name}`,
        '  valueFrom:',
        '    secretKeyRef:',
        `      name: ${e.secret}`,
        `      key: ${e.key}`,
      ]),
    ),
    callerIngress: lines([
      `# Callers: ${callers === '' ? 'none' : `the ${callers}${s.callers.length === 1 ? ' only' : ''}`}.`,
      ...s.callers.flatMap((c) => [
        '- from:',
        '    - podSelector:',
        '        matchLabels:',
        `          app.kubernetes.io/name: ${c}`,
        '  ports:',
        `    - port: ${s.grpcPort}`,
        '      protocol: TCP',
      ]),
    ]),
  };
}

/** e2eImplicitDependencies are the apps the e2e suite builds and starts. */
export const e2eImplicitDependencies = () => gatewayFirst().map((a) => a.name);

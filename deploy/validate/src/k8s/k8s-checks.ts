// Project rules for every rendered overlay: each app's manifests (probes, limits, securityContext, variables,
// NetworkPolicy), the gateway's extras, the data tier's custom resources and their single sources.
import { apps, gateway, GATEWAY_PORT, serviceAddrVar, services, type AppSpec } from '../apps';
import { type ConnectorSource, envPlaceholders } from '../connector';
import { kafkaConnectorFor } from '../render/render';
import { type Doc } from '../yaml';

/** SECRETS are the Secrets the manifests reference; deploy/README.md documents each, git holds none. */
export const SECRETS = [
  ...services.map((s) => `blog-db-${s.name}`),
  'blog-db-debezium',
  'blog-auth-jwt',
  'blog-api-gateway',
  'blog-registry-push',
] as const;

/** K8sContext is what an overlay is held to. */
export interface K8sContext {
  overlay: 'dev' | 'prod';
  connector: ConnectorSource;
  topics: readonly string[];
}

/* eslint-disable @typescript-eslint/no-explicit-any -- rendered manifests are untyped YAML, navigated defensively */
type Any = any;

const find = (docs: readonly Doc[], kind: string, name: string): Any =>
  docs.find((d) => d.kind === kind && (d.metadata as Any)?.name === name);
const all = (docs: readonly Doc[], kind: string): Any[] => docs.filter((d) => d.kind === kind);

/** checkK8s returns every problem of one rendered overlay. */
export function checkK8s(docs: readonly Doc[], ctx: K8sContext): string[] {
  const problems: string[] = [];
  for (const secret of all(docs, 'Secret'))
    problems.push(`Secret/${secret.metadata.name}: Secrets are never committed (deploy/README.md)`);
  problems.push(...checkNamespace(docs));
  for (const app of apps) problems.push(...checkApp(docs, app, ctx));
  problems.push(...checkGatewayExtras(docs));
  problems.push(...checkNetworkBaseline(docs));
  problems.push(...checkSecretRefs(docs));
  problems.push(...checkKafka(docs, ctx));
  problems.push(...checkPostgres(docs));
  return problems;
}

function checkNamespace(docs: readonly Doc[]): string[] {
  const namespaces = all(docs, 'Namespace');
  if (namespaces.length !== 1)
    return [`overlay must declare exactly one Namespace, found ${namespaces.length}`];
  const ns = namespaces[0].metadata.name;
  return docs
    .filter((d) => d.kind !== 'Namespace' && (d.metadata as Any)?.namespace !== ns)
    .map((d) => `${d.kind}/${(d.metadata as Any)?.name}: must be in namespace ${ns}`);
}

/** envOf resolves a container's variables: its ConfigMaps (envFrom) and its own env (values or references). */
function envOf(docs: readonly Doc[], container: Any): Record<string, string> {
  const env: Record<string, string> = {};
  for (const from of container.envFrom ?? []) {
    if (from.configMapRef) Object.assign(env, find(docs, 'ConfigMap', from.configMapRef.name)?.data ?? {});
  }
  for (const e of container.env ?? [])
    env[e.name] = e.value ?? (e.valueFrom ? `<${Object.keys(e.valueFrom)[0]}>` : '');
  return env;
}

function checkApp(docs: readonly Doc[], app: AppSpec, ctx: K8sContext): string[] {
  const problems: string[] = [];
  const where = (kind: string) => `${kind}/${app.name}`;
  for (const kind of ['Deployment', 'Service', 'ServiceAccount', 'ConfigMap', 'NetworkPolicy']) {
    if (!find(docs, kind, app.name)) problems.push(`${where(kind)}: missing`);
  }
  const deploy = find(docs, 'Deployment', app.name);
  if (!deploy) return problems;
  const pod = deploy.spec?.template?.spec ?? {};
  const labels = deploy.spec?.template?.metadata?.labels ?? {};
  if (
    labels['app.kubernetes.io/name'] !== app.name ||
    deploy.spec?.selector?.matchLabels?.['app.kubernetes.io/name'] !== app.name
  ) {
    problems.push(
      `${where('Deployment')}: pods must carry and be selected by app.kubernetes.io/name=${app.name}`,
    );
  }
  if (pod.serviceAccountName !== app.name)
    problems.push(`${where('Deployment')}: serviceAccountName must be ${app.name}`);
  if (pod.automountServiceAccountToken !== false)
    problems.push(`${where('Deployment')}: automountServiceAccountToken must be false`);
  if (pod.securityContext?.runAsNonRoot !== true)
    problems.push(`${where('Deployment')}: pod securityContext.runAsNonRoot must be true`);
  if (pod.securityContext?.seccompProfile?.type !== 'RuntimeDefault')
    problems.push(`${where('Deployment')}: pod seccompProfile must be RuntimeDefault`);

  const containers: Any[] = pod.containers ?? [];
  const main = containers.find((c) => c.name === app.name);
  if (!main) return [...problems, `${where('Deployment')}: no container named ${app.name}`];
  for (const c of [...containers, ...(pod.initContainers ?? [])]) {
    const sc = c.securityContext ?? {};
    const at = `${where('Deployment')} container ${c.name}`;
    if (sc.allowPrivilegeEscalation !== false) problems.push(`${at}: allowPrivilegeEscalation must be false`);
    if (sc.readOnlyRootFilesystem !== true) problems.push(`${at}: readOnlyRootFilesystem must be true`);
    if (!(sc.capabilities?.drop ?? []).includes('ALL')) problems.push(`${at}: capabilities must drop ALL`);
    for (const kind of ['requests', 'limits']) {
      for (const resource of ['cpu', 'memory']) {
        if (c.resources?.[kind]?.[resource] === undefined)
          problems.push(`${at}: resources.${kind}.${resource} is not set`);
      }
    }
  }

  const image: string = main.image ?? '';
  const tag = /:([^/:@]+)$/.exec(image)?.[1];
  if (!new RegExp(`(^|/)blog/${app.name}:`).test(image))
    problems.push(`${where('Deployment')}: image must be blog/${app.name}:<tag>, got ${image}`);
  if (!tag || tag === 'latest')
    problems.push(`${where('Deployment')}: image needs an explicit tag other than latest, got ${image}`);
  if (ctx.overlay === 'prod' && (!/^[a-z0-9.-]+\.[a-z]{2,}(:\d+)?\//.test(image) || tag === 'dev')) {
    problems.push(`${where('Deployment')}: prod pulls a released image from a registry, got ${image}`);
  }

  const env = envOf(docs, main);
  for (const name of app.requiredEnv)
    if (!env[name]) problems.push(`${where('Deployment')}: ${name} is not set`);
  if (env.GRPC_PORT !== String(app.grpcPort))
    problems.push(`${where('Deployment')}: GRPC_PORT must be ${app.grpcPort}, got ${env.GRPC_PORT}`);
  if (env.ADMIN_PORT !== String(app.adminPort))
    problems.push(`${where('Deployment')}: ADMIN_PORT must be ${app.adminPort}, got ${env.ADMIN_PORT}`);
  if (env.REGISTRY !== 'dns')
    problems.push(`${where('Deployment')}: REGISTRY must be dns (headless Services)`);

  if (app.kind === 'service') {
    if (
      !(env.DATABASE_URL ?? '').startsWith(`postgres://${app.dbRole}:`) ||
      !/@blog-db-rw:5432\/blog$/.test(env.DATABASE_URL ?? '')
    ) {
      problems.push(
        `${where('Deployment')}: DATABASE_URL must be postgres://${app.dbRole}:...@blog-db-rw:5432/blog, got ${env.DATABASE_URL}`,
      );
    }
    if (env.KAFKA_BROKERS !== 'blog-kafka-kafka-bootstrap:9092')
      problems.push(`${where('Deployment')}: KAFKA_BROKERS must be the Strimzi bootstrap service`);
    for (const kind of ['readinessProbe', 'livenessProbe'] as const) {
      if (main[kind]?.grpc?.port !== app.grpcPort)
        problems.push(
          `${where('Deployment')}: ${kind} must be a grpc.health.v1 probe on port ${app.grpcPort}`,
        );
    }
    const svc = find(docs, 'Service', app.name);
    if (svc && svc.spec?.clusterIP !== 'None')
      problems.push(`${where('Service')}: must be headless (clusterIP: None) for client-side balancing`);
    if (svc && !(svc.spec?.ports ?? []).some((p: Any) => p.port === app.grpcPort))
      problems.push(`${where('Service')}: must expose gRPC port ${app.grpcPort}`);
  } else {
    for (const target of services) {
      if (env[serviceAddrVar(target.name)] !== `${target.name}:${target.grpcPort}`) {
        problems.push(
          `${where('Deployment')}: ${serviceAddrVar(target.name)} must be ${target.name}:${target.grpcPort}`,
        );
      }
    }
    if (env.GATEWAY_PORT !== String(GATEWAY_PORT))
      problems.push(`${where('Deployment')}: GATEWAY_PORT must be ${GATEWAY_PORT}`);
    if (main.readinessProbe?.httpGet?.path !== '/readyz' || !main.livenessProbe)
      problems.push(`${where('Deployment')}: readiness must be /readyz and liveness set`);
    const svc = find(docs, 'Service', app.name);
    if (svc && (svc.spec?.clusterIP === 'None' || (svc.spec?.type ?? 'ClusterIP') !== 'ClusterIP'))
      problems.push(`${where('Service')}: must be a ClusterIP Service`);
  }
  problems.push(...checkAppPolicy(docs, app));
  return problems;
}

const peerIsApp = (peer: Any, name: string) =>
  !peer.namespaceSelector &&
  !peer.ipBlock &&
  peer.podSelector?.matchLabels?.['app.kubernetes.io/name'] === name &&
  Object.keys(peer.podSelector.matchLabels).length === 1;
const rulePorts = (rule: Any): number[] => (rule.ports ?? []).map((p: Any) => p.port);

function checkAppPolicy(docs: readonly Doc[], app: AppSpec): string[] {
  const np = find(docs, 'NetworkPolicy', app.name);
  if (!np) return [];
  const where = `NetworkPolicy/${app.name}`;
  const problems: string[] = [];
  if (np.spec?.podSelector?.matchLabels?.['app.kubernetes.io/name'] !== app.name)
    problems.push(`${where}: must select the ${app.name} pods`);
  const types: string[] = np.spec?.policyTypes ?? [];
  if (!types.includes('Ingress') || !types.includes('Egress'))
    problems.push(`${where}: must govern Ingress and Egress`);
  const ingress: Any[] = np.spec?.ingress ?? [];
  if (app.kind === 'gateway') {
    if (!ingress.some((r) => !r.from && rulePorts(r).join() === String(GATEWAY_PORT)))
      problems.push(`${where}: must admit anyone on ${GATEWAY_PORT} (and only that port)`);
    for (const target of services) {
      if (
        !(np.spec?.egress ?? []).some(
          (r: Any) =>
            (r.to ?? []).some((p: Any) => peerIsApp(p, target.name)) &&
            rulePorts(r).includes(target.grpcPort),
        )
      ) {
        problems.push(`${where}: no egress to ${target.name}:${target.grpcPort}`);
      }
    }
    return problems;
  }
  for (const rule of ingress) {
    if (!rule.from || rule.from.length === 0)
      problems.push(`${where}: an ingress rule without "from" admits everyone`);
    if (rule.ports === undefined || rule.ports.length === 0)
      problems.push(`${where}: an ingress rule without ports admits every port`);
    if (rulePorts(rule).includes(app.grpcPort)) {
      for (const peer of rule.from ?? []) {
        if (!app.callers.some((caller) => peerIsApp(peer, caller)))
          problems.push(
            `${where}: gRPC port admits ${JSON.stringify(peer)}, not one of its callers (${app.callers.join(', ')})`,
          );
      }
    }
  }
  for (const caller of app.callers) {
    if (
      !ingress.some(
        (r) => rulePorts(r).includes(app.grpcPort) && (r.from ?? []).some((p: Any) => peerIsApp(p, caller)),
      )
    ) {
      problems.push(`${where}: ${caller} cannot reach port ${app.grpcPort}`);
    }
  }
  const egress: Any[] = np.spec?.egress ?? [];
  const reaches = (label: string, value: string, port: number) =>
    egress.some(
      (r) =>
        rulePorts(r).includes(port) &&
        (r.to ?? []).some((p: Any) => p.podSelector?.matchLabels?.[label] === value),
    );
  if (!reaches('cnpg.io/cluster', 'blog-db', 5432))
    problems.push(`${where}: no egress to PostgreSQL (blog-db:5432)`);
  if (!reaches('strimzi.io/cluster', 'blog-kafka', 9092))
    problems.push(`${where}: no egress to Kafka (blog-kafka:9092)`);
  return problems;
}

function checkGatewayExtras(docs: readonly Doc[]): string[] {
  const problems: string[] = [];
  const pdb = find(docs, 'PodDisruptionBudget', gateway.name);
  if (pdb?.spec?.selector?.matchLabels?.['app.kubernetes.io/name'] !== gateway.name)
    problems.push('PodDisruptionBudget/api-gateway: missing or not selecting the gateway');
  const hpa = find(docs, 'HorizontalPodAutoscaler', gateway.name);
  if (hpa?.spec?.scaleTargetRef?.kind !== 'Deployment' || hpa?.spec?.scaleTargetRef?.name !== gateway.name)
    problems.push('HorizontalPodAutoscaler/api-gateway: missing or not scaling the gateway Deployment');
  else if (!(hpa.spec.minReplicas <= hpa.spec.maxReplicas))
    problems.push('HorizontalPodAutoscaler/api-gateway: minReplicas exceeds maxReplicas');
  return problems;
}

function checkNetworkBaseline(docs: readonly Doc[]): string[] {
  const problems: string[] = [];
  const denyAll = all(docs, 'NetworkPolicy').find(
    (np) =>
      Object.keys(np.spec?.podSelector ?? {}).length === 0 &&
      ['Ingress', 'Egress'].every((t) => (np.spec?.policyTypes ?? []).includes(t)) &&
      !np.spec?.ingress &&
      !np.spec?.egress,
  );
  if (!denyAll)
    problems.push('NetworkPolicy: no default deny (podSelector {}, Ingress and Egress, no rules)');
  const db = all(docs, 'NetworkPolicy').find(
    (np) => np.spec?.podSelector?.matchLabels?.['cnpg.io/cluster'] === 'blog-db',
  );
  if (!db) return [...problems, 'NetworkPolicy: none guards the database (cnpg.io/cluster=blog-db)'];
  const allowed = (peer: Any) => {
    const m = peer.podSelector?.matchLabels ?? {};
    if (peer.ipBlock) return false;
    if (peer.namespaceSelector)
      return (
        peer.namespaceSelector.matchLabels?.['kubernetes.io/metadata.name'] === 'cnpg-system' &&
        !peer.podSelector
      );
    return (
      m['app.kubernetes.io/component'] === 'service' ||
      m['strimzi.io/kind'] === 'KafkaConnect' ||
      m['cnpg.io/cluster'] === 'blog-db'
    );
  };
  for (const rule of db.spec?.ingress ?? []) {
    if (!rule.from?.length)
      problems.push(`NetworkPolicy/${db.metadata.name}: an ingress rule admits everyone to the database`);
    for (const peer of rule.from ?? []) {
      if (!allowed(peer))
        problems.push(
          `NetworkPolicy/${db.metadata.name}: the database admits ${JSON.stringify(peer)}; only the services, Connect, its instances and its operator may connect`,
        );
    }
  }
  return problems;
}

function checkSecretRefs(docs: readonly Doc[]): string[] {
  const names = new Set<string>();
  const walk = (node: Any): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if ((k === 'secretKeyRef' || k === 'secretRef' || k === 'passwordSecret') && (v as Any)?.name)
          names.add((v as Any).name);
        if (k === 'pushSecret' && typeof v === 'string') names.add(v);
        walk(v);
      }
    }
  };
  walk(docs);
  return [...names]
    .filter((n) => !(SECRETS as readonly string[]).includes(n))
    .map((n) => `Secret ${n} is referenced but not documented in SECRETS / deploy/README.md`);
}

function checkKafka(docs: readonly Doc[], ctx: K8sContext): string[] {
  const problems: string[] = [];
  const kafka = find(docs, 'Kafka', 'blog-kafka');
  if (!kafka) return ['Kafka/blog-kafka: missing'];
  if (
    kafka.metadata.annotations?.['strimzi.io/kraft'] !== 'enabled' ||
    kafka.metadata.annotations?.['strimzi.io/node-pools'] !== 'enabled'
  ) {
    problems.push(
      'Kafka/blog-kafka: must run KRaft with node pools (strimzi.io/kraft and strimzi.io/node-pools enabled)',
    );
  }
  const pools = all(docs, 'KafkaNodePool').filter(
    (p) => p.metadata.labels?.['strimzi.io/cluster'] === 'blog-kafka',
  );
  const roles = new Set(pools.flatMap((p) => p.spec?.roles ?? []));
  if (!roles.has('controller') || !roles.has('broker'))
    problems.push('KafkaNodePool: the pools of blog-kafka must provide both controller and broker roles');

  const connect = find(docs, 'KafkaConnect', 'blog-connect');
  if (!connect) return [...problems, 'KafkaConnect/blog-connect: missing'];
  if (connect.metadata.annotations?.['strimzi.io/use-connector-resources'] !== 'true')
    problems.push('KafkaConnect/blog-connect: must manage connectors as KafkaConnector resources');
  if (!/^blog-kafka-kafka-bootstrap:\d+$/.test(connect.spec?.bootstrapServers ?? ''))
    problems.push('KafkaConnect/blog-connect: bootstrapServers must be the blog-kafka bootstrap service');
  const urls: string[] = (connect.spec?.build?.plugins ?? []).flatMap((p: Any) =>
    (p.artifacts ?? []).map((a: Any) => a.url),
  );
  if (
    !urls.some((u) =>
      /^https:\/\/repo1\.maven\.org\/maven2\/io\/debezium\/debezium-connector-postgres\/3\.2\.\d+\.Final\//.test(
        u,
      ),
    )
  ) {
    problems.push(
      'KafkaConnect/blog-connect: the build must add the Debezium 3.2 PostgreSQL plugin from Maven Central',
    );
  }
  const config = connect.spec?.config ?? {};
  if (
    config['config.providers'] !== 'env' ||
    !/EnvVarConfigProvider$/.test(config['config.providers.env.class'] ?? '')
  )
    problems.push('KafkaConnect/blog-connect: the env config provider must be configured');
  if (
    Object.keys(ctx.connector.config).some((k) => k.startsWith('producer.override.')) &&
    config['connector.client.config.override.policy'] !== 'All'
  ) {
    problems.push(
      'KafkaConnect/blog-connect: the connector sets producer.override.*, so connector.client.config.override.policy must be All',
    );
  }
  const env = new Set((connect.spec?.template?.connectContainer?.env ?? []).map((e: Any) => e.name));
  const allow = config['config.providers.env.param.allowlist.pattern'];
  for (const name of envPlaceholders(ctx.connector)) {
    if (!env.has(name))
      problems.push(
        `KafkaConnect/blog-connect: ${name} (used as \${env:${name}} by the connector) is not in template.connectContainer.env`,
      );
    if (allow && !new RegExp(allow).test(name))
      problems.push(`KafkaConnect/blog-connect: ${name} is outside the provider's allowlist ${allow}`);
  }

  const connectors = all(docs, 'KafkaConnector');
  const expected = kafkaConnectorFor(ctx.connector) as Any;
  const connector = connectors.find((c) => c.metadata.name === expected.metadata.name);
  if (!connector) problems.push(`KafkaConnector/${expected.metadata.name}: missing`);
  else {
    if (connector.metadata.labels?.['strimzi.io/cluster'] !== 'blog-connect')
      problems.push(
        `KafkaConnector/${expected.metadata.name}: must be labelled strimzi.io/cluster=blog-connect`,
      );
    if (JSON.stringify(connector.spec) !== JSON.stringify(expected.spec))
      problems.push(
        `KafkaConnector/${expected.metadata.name}: spec differs from deploy/connector/debezium-outbox.json`,
      );
  }
  const topics = all(docs, 'KafkaTopic')
    .filter((t) => t.metadata.labels?.['strimzi.io/cluster'] === 'blog-kafka')
    .map((t) => t.spec?.topicName ?? t.metadata.name);
  if ([...topics].sort().join() !== [...ctx.topics].sort().join())
    problems.push(`KafkaTopic: must be exactly ${ctx.topics.join(' ')}; got ${topics.join(' ')}`);
  return problems;
}

function checkPostgres(docs: readonly Doc[]): string[] {
  const problems: string[] = [];
  const cluster = find(docs, 'Cluster', 'blog-db');
  if (!cluster) return ['Cluster/blog-db: missing'];
  if (cluster.spec?.postgresql?.parameters?.wal_level !== 'logical')
    problems.push('Cluster/blog-db: wal_level must be logical');
  if (!/postgresql:17/.test(cluster.spec?.imageName ?? ''))
    problems.push('Cluster/blog-db: must run PostgreSQL 17');
  if (cluster.spec?.bootstrap?.initdb?.database !== 'blog')
    problems.push('Cluster/blog-db: the database must be blog');
  for (const ref of cluster.spec?.bootstrap?.initdb?.postInitApplicationSQLRefs?.configMapRefs ?? []) {
    if (find(docs, 'ConfigMap', ref.name)?.data?.[ref.key] === undefined)
      problems.push(`Cluster/blog-db: ConfigMap ${ref.name} has no key ${ref.key}`);
  }
  const roles: Any[] = cluster.spec?.managed?.roles ?? [];
  for (const app of services) {
    const role = roles.find((r) => r.name === app.dbRole);
    if (!role?.login || role.passwordSecret?.name !== `blog-db-${app.name}`)
      problems.push(
        `Cluster/blog-db: managed role ${app.dbRole} must log in with Secret blog-db-${app.name}`,
      );
  }
  const dbz = roles.find((r) => r.name === 'debezium');
  if (!dbz?.login || !dbz.replication)
    problems.push('Cluster/blog-db: managed role debezium must have LOGIN and REPLICATION');
  return problems;
}

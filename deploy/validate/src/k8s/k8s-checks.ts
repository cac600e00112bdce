// Project rules for every rendered overlay: the apps (app-checks.ts), their identities (identity-checks.ts), the
// namespace, the network baseline, Secrets, and the data tier's custom resources with their single sources.
import { isDeepStrictEqual } from 'node:util';
import { services } from '../apps';
import { envPlaceholders } from '../connector';
import { jvmVersions } from '../jvm-versions';
import { kafkaConnectorFor } from '../render/render';
import { type Doc } from '../yaml';
import { checkApps } from './app-checks';
import { checkIdentities } from './identity-checks';
import { all, type Any, find, type K8sContext } from './k8s-docs';
import { checkTraceExport } from './trace-checks';

export { type K8sContext } from './k8s-docs';

/**
 * SECRETS are the Secrets the manifests reference that someone must create; deploy/README.md documents each, git holds
 * none. The Secrets a cert-manager Certificate writes (the CA's, each app's `<app>-tls`) are made in the cluster.
 */
export const SECRETS = [
  ...services.map((s) => `blog-db-${s.name}`),
  'blog-db-debezium',
  'blog-auth-jwt',
  'blog-api-gateway',
  'blog-registry-push',
  'blog-console',
  'blog-db-console',
] as const;

/** CONNECT_WATCHDOG names the connector watchdog's Deployment, pods, ServiceAccount and Role. */
const CONNECT_WATCHDOG = 'connect-watchdog';

/** checkK8s returns every problem of one rendered overlay. */
export function checkK8s(docs: readonly Doc[], ctx: K8sContext): string[] {
  const problems: string[] = [];
  for (const secret of all(docs, 'Secret'))
    problems.push(`Secret/${secret.metadata.name}: Secrets are never committed (deploy/README.md)`);
  problems.push(...checkNamespace(docs));
  problems.push(...checkApps(docs, ctx));
  problems.push(...checkIdentities(docs));
  problems.push(...checkNetworkBaseline(docs));
  problems.push(...checkSecretRefs(docs));
  problems.push(...checkKafka(docs, ctx));
  problems.push(...checkConnectorWatchdog(docs, ctx));
  problems.push(...checkPostgres(docs));
  problems.push(...checkTraceExport(docs));
  return problems;
}

/**
 * checkConnectorWatchdog: Strimzi's probes and autoRestart never see the orphan of DBZ-9617 (REST says RUNNING), so
 * the connector watchdog must run, with what it reads the slot with, and be allowed to delete every Connect pod,
 * and nothing else.
 */
function checkConnectorWatchdog(docs: readonly Doc[], ctx: K8sContext): string[] {
  const where = `Deployment/${CONNECT_WATCHDOG}`;
  const deploy = find(docs, 'Deployment', CONNECT_WATCHDOG);
  if (!deploy) return [`${where}: missing (the connector liveness, see deploy/connector/README.md)`];
  const problems: string[] = [];
  const container = (deploy.spec?.template?.spec?.containers ?? [])[0] ?? {};
  if (!/connect.*watchdog/.test(([] as string[]).concat(container.command ?? []).join(' ')))
    problems.push(`${where}: must run the Connect client watchdog command`);
  const env = new Map<string, Any>((container.env ?? []).map((e: Any) => [e.name, e]));
  for (const name of ['CONNECT_URL', 'CONNECT_PODS', 'KAFKA_BROKERS', ...envPlaceholders(ctx.connector)]) {
    if (!env.has(name)) problems.push(`${where}: ${name} is not set`);
  }
  const replicas = Number(find(docs, 'KafkaConnect', 'blog-connect')?.spec?.replicas ?? 1);
  const expected = Array.from({ length: replicas }, (_, i) => `blog-connect-connect-${i}`);
  const pods = String(env.get('CONNECT_PODS')?.value ?? '')
    .split(',')
    .filter(Boolean);
  if (env.has('CONNECT_PODS') && [...pods].sort().join() !== expected.join())
    problems.push(`${where}: CONNECT_PODS must name every Connect pod: ${expected.join(',')}`);
  const rules: Any[] = find(docs, 'Role', CONNECT_WATCHDOG)?.rules ?? [];
  const binding = find(docs, 'RoleBinding', CONNECT_WATCHDOG);
  const deletable = (pod: string) =>
    rules.some(
      (r) =>
        (r.resources ?? []).includes('pods') &&
        (r.verbs ?? []).includes('delete') &&
        (r.resourceNames ?? []).includes(pod),
    );
  if (
    !expected.every(deletable) ||
    binding?.roleRef?.name !== CONNECT_WATCHDOG ||
    deploy.spec?.template?.spec?.serviceAccountName !== CONNECT_WATCHDOG
  )
    problems.push(
      `Role/${CONNECT_WATCHDOG}: its ServiceAccount must be allowed to delete ${expected.join(', ')}`,
    );
  if (
    rules.some(
      (r) => !(r.resourceNames ?? []).length || (r.resources ?? []).some((x: string) => x !== 'pods'),
    )
  )
    problems.push(`Role/${CONNECT_WATCHDOG}: may only name Connect's pods`);
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
      m['app.kubernetes.io/name'] === CONNECT_WATCHDOG ||
      m['app.kubernetes.io/name'] === 'console' ||
      m['cnpg.io/cluster'] === 'blog-db'
    );
  };
  for (const rule of db.spec?.ingress ?? []) {
    if (!rule.from?.length)
      problems.push(`NetworkPolicy/${db.metadata.name}: an ingress rule admits everyone to the database`);
    for (const peer of rule.from ?? []) {
      if (!allowed(peer))
        problems.push(
          `NetworkPolicy/${db.metadata.name}: the database admits ${JSON.stringify(peer)}; only the services, Connect, its watchdog, the console, its instances and its operator may connect`,
        );
    }
  }
  return problems;
}

function checkSecretRefs(docs: readonly Doc[]): string[] {
  // A KafkaUser's Secret (its SCRAM password) is made by Strimzi's User Operator, not by hand.
  const made = new Set(all(docs, 'KafkaUser').map((user) => user.metadata.name as string));
  const names = new Set<string>();
  const walk = (node: Any): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if ((k === 'secretKeyRef' || k === 'secretRef' || k === 'passwordSecret') && (v as Any)?.name)
          names.add((v as Any).name);
        if (k === 'pushSecret' && typeof v === 'string') names.add(v);
        // A secret volume (secretName), a projected volume's secret (name), a CA Issuer's key pair (ca.secretName).
        if ((k === 'secret' || k === 'ca') && ((v as Any)?.secretName ?? (v as Any)?.name))
          names.add((v as Any).secretName ?? (v as Any).name);
        walk(v);
      }
    }
  };
  walk(docs);
  const issued = new Set(all(docs, 'Certificate').map((c) => c.spec?.secretName));
  return [...names]
    .filter((n) => !(SECRETS as readonly string[]).includes(n) && !issued.has(n) && !made.has(n))
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
  // One version of each for every environment: Strimzi runs the Kafka and Debezium of deploy/local/pom.xml.
  const versions = jvmVersions();
  if (kafka.spec?.kafka?.version !== versions.kafka)
    problems.push(`Kafka/blog-kafka: version must be ${versions.kafka} (deploy/local/pom.xml kafka.version)`);
  if (connect.spec?.version !== versions.kafka)
    problems.push(
      `KafkaConnect/blog-connect: version must be ${versions.kafka} (deploy/local/pom.xml kafka.version)`,
    );
  const urls: string[] = (connect.spec?.build?.plugins ?? []).flatMap((p: Any) =>
    (p.artifacts ?? []).map((a: Any) => a.url),
  );
  const plugin = `https://repo1.maven.org/maven2/io/debezium/debezium-connector-postgres/${versions.debezium}/`;
  if (!urls.some((u) => u.startsWith(plugin))) {
    problems.push(
      `KafkaConnect/blog-connect: the build must add the Debezium ${versions.debezium} PostgreSQL plugin from Maven Central`,
    );
  }
  // The built image names its Debezium version (`:3.6.1` or `-3-6-1`), so a version change is a new image.
  const image: string = connect.spec?.build?.output?.image ?? '';
  const plain = versions.debezium.replace(/\.Final$/, '');
  if (!image.includes(plain) && !image.includes(plain.replaceAll('.', '-')))
    problems.push(`KafkaConnect/blog-connect: the built image must name Debezium ${plain} (${image})`);
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
    // Compared as values: kustomize writes keys in sorted order.
    if (!isDeepStrictEqual(connector.spec, expected.spec))
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

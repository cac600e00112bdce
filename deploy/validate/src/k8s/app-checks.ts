// Project rules for each app in a rendered overlay: its manifests (probes, limits, securityContext, image, Service),
// its variables (k8s-env.ts), its NetworkPolicy, and the gateway's extras (PDB, HPA, Redis, token claims).
import { apps, gatewayCallees, gateway, GATEWAY_PORT, serviceAddrVar, type AppSpec } from '../apps';
import { type Doc } from '../yaml';
import { type Any, find, type K8sContext } from './k8s-docs';
import {
  checkGatewayEnv,
  checkK8sAppEnv,
  checkK8sTokenAgreement,
  type ContainerEnv,
  containerEnv,
} from './k8s-env';

/** OPS_CONSOLE is the web console's app name: it may reach every app's gRPC port for health probes only. */
const OPS_CONSOLE = 'console';

/** checkApps returns the problems of every app's manifests, then of the rules that span apps. */
export function checkApps(docs: readonly Doc[], ctx: K8sContext): string[] {
  const problems = apps.flatMap((app) => checkApp(docs, app, ctx));
  const envs = Object.fromEntries(
    apps.map((app) => {
      const main = mainContainer(docs, app);
      return [app.name, main && containerEnv(docs, main)];
    }),
  ) as Record<string, ContainerEnv | undefined>;
  problems.push(...checkK8sTokenAgreement(ctx.configs, envs.auth, envs[gateway.name]));
  const gatewayEnv = envs[gateway.name];
  if (gatewayEnv)
    problems.push(
      ...checkGatewayEnv(ctx.overlay, ctx.configs, gatewayEnv, find(docs, 'NetworkPolicy', gateway.name)),
    );
  problems.push(...checkGatewayExtras(docs));
  return problems;
}

/** mainContainer is the app's own container in its Deployment (named like the app). */
const mainContainer = (docs: readonly Doc[], app: AppSpec): Any =>
  (find(docs, 'Deployment', app.name)?.spec?.template?.spec?.containers ?? []).find(
    (c: Any) => c.name === app.name,
  );

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

  const resolved = containerEnv(docs, main);
  problems.push(...checkK8sAppEnv(app, ctx.configs, resolved));
  const env = Object.fromEntries(
    Object.entries(resolved.env).map(([name, v]) => [name, v.kind === 'literal' ? v.value : `<${v.from}>`]),
  );
  if (env.ADMIN_PORT !== String(app.adminPort))
    problems.push(`${where('Deployment')}: ADMIN_PORT must be ${app.adminPort}, got ${env.ADMIN_PORT}`);

  if (app.kind === 'service') {
    if (env.GRPC_PORT !== String(app.grpcPort))
      problems.push(`${where('Deployment')}: GRPC_PORT must be ${app.grpcPort}, got ${env.GRPC_PORT}`);
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
    // The gRPC port requires a client certificate (mutual TLS), which the kubelet's gRPC probe cannot present: the
    // probes use the admin port, whose /readyz reports the same readiness checks as grpc.health.v1.
    for (const [kind, path] of [
      ['readinessProbe', '/readyz'],
      ['livenessProbe', '/healthz'],
    ] as const) {
      const get = main[kind]?.httpGet;
      if (get?.path !== path || portNumber(main, get?.port) !== app.adminPort)
        problems.push(
          `${where('Deployment')}: ${kind} must GET ${path} on the admin port ${app.adminPort} (the gRPC port requires a client certificate)`,
        );
    }
    if (['startupProbe', 'readinessProbe', 'livenessProbe'].some((kind) => main[kind]?.grpc))
      problems.push(
        `${where('Deployment')}: a gRPC probe cannot pass: the kubelet presents no client certificate (mutual TLS)`,
      );
    const svc = find(docs, 'Service', app.name);
    if (svc && svc.spec?.clusterIP !== 'None')
      problems.push(`${where('Service')}: must be headless (clusterIP: None) for client-side balancing`);
    if (svc && !(svc.spec?.ports ?? []).some((p: Any) => p.port === app.grpcPort))
      problems.push(`${where('Service')}: must expose gRPC port ${app.grpcPort}`);
  } else {
    if (env.REGISTRY !== 'dns')
      problems.push(`${where('Deployment')}: REGISTRY must be dns (headless Services)`);
    for (const target of gatewayCallees) {
      if (env[serviceAddrVar(target.name)] !== `${target.name}:${target.grpcPort}`) {
        problems.push(
          `${where('Deployment')}: ${serviceAddrVar(target.name)} must be ${target.name}:${target.grpcPort}`,
        );
      }
    }
    if (env.GATEWAY_PORT !== String(GATEWAY_PORT))
      problems.push(`${where('Deployment')}: GATEWAY_PORT must be ${GATEWAY_PORT}`);
    problems.push(...checkGatewayContainer(main, app.adminPort));
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
    for (const target of gatewayCallees) {
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
        // The web console (base/ops/console.yaml) probes every app's grpc.health.v1 for its catalog: an operator's
        // tool, admitted beside the callers.
        if (!app.callers.some((caller) => peerIsApp(peer, caller)) && !peerIsApp(peer, OPS_CONSOLE))
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

/** portNumber resolves a probe's port, a number or the name of one of the container's ports. */
const portNumber = (container: Any, port: unknown): number | undefined =>
  typeof port === 'number' ? port : (container.ports ?? []).find((p: Any) => p.name === port)?.containerPort;

/**
 * checkGatewayContainer: HTTP probes (readiness /readyz, liveness /healthz) on a port that serves them (admin or
 * REST), and no gRPC port: the gateway serves none.
 */
function checkGatewayContainer(main: Any, adminPort: number): string[] {
  const where = `Deployment/${gateway.name}`;
  const problems: string[] = [];
  const ports: Any[] = main.ports ?? [];
  const serving = [adminPort, GATEWAY_PORT];
  for (const [kind, path] of [
    ['readinessProbe', '/readyz'],
    ['livenessProbe', '/healthz'],
  ] as const) {
    const get = main[kind]?.httpGet;
    if (get?.path !== path || !serving.includes(portNumber(main, get?.port) ?? -1))
      problems.push(`${where}: ${kind} must GET ${path} on port ${adminPort} (admin) or ${GATEWAY_PORT}`);
  }
  if (ports.some((p) => p.name === 'grpc' || ![...serving].includes(p.containerPort)))
    problems.push(
      `${where}: declares a port other than http ${GATEWAY_PORT} and admin ${adminPort} (it serves no gRPC)`,
    );
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

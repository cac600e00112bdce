// The apps' environments in a rendered overlay: each container's variables as the kubelet assembles them (ConfigMaps
// through envFrom, then env with $(VAR) references), held to the app's config schema and to the cluster's rules.
import { type AppConfigs } from '../app-env/config-schema';
import {
  checkAppEnv,
  checkTokenAgreement,
  effectiveValue,
  isSet,
  type DeploymentEnv,
  type EnvValue,
} from '../app-env/env-checks';
import { type AppSpec, gateway } from '../apps';
import { type Doc } from '../yaml';
import { type Any } from './k8s-docs';

/** SECRET_ONLY variables carry secrets: in Kubernetes they come from a Secret (secretKeyRef), never a literal. */
export const SECRET_ONLY = ['AUTH_JWT_PRIVATE_KEYS', 'VIEWER_HASH_SALT', 'REDIS_URL'] as const;

/** REDIS_PORT is the port the prod gateway's NetworkPolicy must let it reach. */
export const REDIS_PORT = 6379;

/** ContainerEnv is a container's environment and the variables only other variables reference. */
export interface ContainerEnv {
  env: DeploymentEnv;
  helpers: string[];
}

const REFERENCE = /\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g;

/** containerEnv resolves a container's variables: its ConfigMaps (envFrom), then its env in order, as the kubelet does. */
export function containerEnv(docs: readonly Doc[], container: Any): ContainerEnv {
  const env: Record<string, EnvValue> = {};
  const helpers = new Set<string>();
  const configMap = (name: string): Record<string, string> | undefined =>
    (docs.find((d) => d.kind === 'ConfigMap' && (d.metadata as Any)?.name === name) as Any)?.data;
  for (const from of container.envFrom ?? []) {
    // A Secret's keys are unknown here, so envFrom secretRef satisfies nothing: required secrets use secretKeyRef.
    if (from.configMapRef)
      for (const [name, value] of Object.entries(configMap(from.configMapRef.name) ?? {}))
        env[`${from.prefix ?? ''}${name}`] = { kind: 'literal', value: String(value) };
  }
  for (const e of container.env ?? []) {
    if (e.value !== undefined) {
      // $(NAME) expands to an earlier variable; a secret one is stood in for, so the rest can still be checked.
      const value = String(e.value).replace(REFERENCE, (whole, name: string) => {
        const target = env[name];
        if (!target) return whole;
        helpers.add(name);
        return target.kind === 'literal' ? target.value : 'secret';
      });
      env[e.name] = { kind: 'literal', value };
    } else if (e.valueFrom?.configMapKeyRef) {
      const ref = e.valueFrom.configMapKeyRef;
      const value = configMap(ref.name)?.[ref.key];
      env[e.name] =
        value === undefined
          ? { kind: 'external', from: `ConfigMap ${ref.name} key ${ref.key}` }
          : { kind: 'literal', value: String(value) };
    } else if (e.valueFrom?.secretKeyRef) {
      const ref = e.valueFrom.secretKeyRef;
      env[e.name] = { kind: 'external', from: `Secret ${ref.name} key ${ref.key}` };
    } else {
      env[e.name] = { kind: 'external', from: Object.keys(e.valueFrom ?? {})[0] ?? 'nothing' };
    }
  }
  return { env, helpers: [...helpers] };
}

/** checkK8sAppEnv: the app's schema, then the cluster's rules (production mode, secrets from Secrets). */
export function checkK8sAppEnv(app: AppSpec, configs: AppConfigs, resolved: ContainerEnv): string[] {
  const where = `Deployment/${app.name}`;
  const config = configs[app.name];
  const { env } = resolved;
  const problems = checkAppEnv(where, app, config, env, { helpers: resolved.helpers });
  const nodeEnv = effectiveValue(config, env, 'NODE_ENV');
  if (!nodeEnv.known || nodeEnv.value !== 'production')
    problems.push(`${where}: NODE_ENV must be production (auth then refuses dev keys)`);
  for (const name of SECRET_ONLY) {
    const value = env[name];
    if (value?.kind === 'literal' && value.value !== '')
      problems.push(`${where}: ${name} must come from a Secret (secretKeyRef), not a literal`);
    else if (value?.kind === 'external' && !value.from.startsWith('Secret '))
      problems.push(`${where}: ${name} must come from a Secret (secretKeyRef), not ${value.from}`);
  }
  return problems;
}

/** checkGatewayEnv: behind an ingress the gateway trusts X-Forwarded-For; in prod its replicas share Redis. */
export function checkGatewayEnv(
  overlay: 'dev' | 'prod',
  configs: AppConfigs,
  resolved: ContainerEnv,
  policy: Any,
): string[] {
  const where = `Deployment/${gateway.name}`;
  const problems: string[] = [];
  const trust = effectiveValue(configs[gateway.name], resolved.env, 'TRUST_PROXY');
  if (!trust.known || trust.value !== true)
    problems.push(
      `${where}: TRUST_PROXY must be true behind an ingress (rate limits and view hashing need the client address)`,
    );
  const redis = isSet(resolved.env.REDIS_URL);
  if (overlay === 'prod' && !redis)
    problems.push(`${where}: prod needs REDIS_URL, so the replicas share rate-limit counters`);
  const reachesRedis = (policy?.spec?.egress ?? []).some((rule: Any) =>
    (rule.ports ?? []).some((p: Any) => p.port === REDIS_PORT),
  );
  if (redis && !reachesRedis)
    problems.push(
      `NetworkPolicy/${gateway.name}: REDIS_URL is set but no egress rule reaches port ${REDIS_PORT}`,
    );
  return problems;
}

/** checkK8sTokenAgreement: the gateway requires the issuer and audience auth issues. */
export function checkK8sTokenAgreement(
  configs: AppConfigs,
  auth: ContainerEnv | undefined,
  gatewayEnv: ContainerEnv | undefined,
): string[] {
  if (!auth || !gatewayEnv) return [];
  return checkTokenAgreement(
    'overlay',
    { config: configs.auth, env: auth.env },
    { config: configs[gateway.name], env: gatewayEnv.env },
  );
}

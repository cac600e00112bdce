// The apps' environments in deploy/docker-compose.yml against their config schemas, plus the rules that span apps:
// where auth's signing keys come from, and the token claims auth issues and the gateway requires.
import { type AppConfigs } from '../app-env/config-schema';
import {
  checkAppEnv,
  checkTokenAgreement,
  effectiveValue,
  isSet,
  literalEnv,
  type DeploymentEnv,
} from '../app-env/env-checks';
import { apps, gateway } from '../apps';
import { APP_STATE_DIR } from '../docker/dockerfile-checks';
import { type ComposeFile, environmentOf } from './compose-file';

/** composeEnvOf is a compose service's environment (after interpolation) as a DeploymentEnv. */
export const composeEnvOf = (doc: ComposeFile, name: string): DeploymentEnv =>
  literalEnv(environmentOf(doc.services[name] ?? {}));

/** NamedMount is a named volume mounted into a container. */
interface NamedMount {
  source: string;
  target: string;
}

/** namedMounts lists a service's named-volume mounts (short `name:/path[:mode]` and long syntax). */
function namedMounts(doc: ComposeFile, name: string): NamedMount[] {
  const declared = Object.keys((doc.volumes as Record<string, unknown> | undefined) ?? {});
  return (doc.services[name]?.volumes ?? []).flatMap((v): NamedMount[] => {
    if (typeof v === 'string') {
      const [source, target] = v.split(':');
      return target && declared.includes(source) ? [{ source, target }] : [];
    }
    return v.type === 'volume' && v.source && v.target && declared.includes(v.source)
      ? [{ source: v.source, target: v.target }]
      : [];
  });
}

const within = (path: string, dir: string) => path === dir || path.startsWith(`${dir.replace(/\/$/, '')}/`);

/** checkComposeAppEnvs holds every app's compose environment to its schema, then the cross-app rules. */
export function checkComposeAppEnvs(raw: ComposeFile, doc: ComposeFile, configs: AppConfigs): string[] {
  const problems: string[] = [];
  for (const app of apps) {
    if (!doc.services[app.name]) continue;
    problems.push(
      ...checkAppEnv(`compose service ${app.name}`, app, configs[app.name], composeEnvOf(doc, app.name)),
    );
  }
  if (doc.services.auth && doc.services[gateway.name]) {
    problems.push(
      ...checkTokenAgreement(
        'compose',
        { config: configs.auth, env: composeEnvOf(doc, 'auth') },
        { config: configs[gateway.name], env: composeEnvOf(doc, gateway.name) },
      ),
    );
  }
  problems.push(...checkAuthKeys(raw, doc, configs));
  return problems;
}

/**
 * checkAuthKeys: auth takes AUTH_JWT_PRIVATE_KEYS from deploy/.env when given; without it (outside production) it
 * keeps generated dev keys in AUTH_DEV_KEYS_DIR, which must be on a named volume at the image's state folder: the
 * root is read-only, /tmp a tmpfs (keys lost on restart, every session with them), and a new volume mounted
 * anywhere else is owned by root, where uid 65532 cannot write.
 */
function checkAuthKeys(raw: ComposeFile, doc: ComposeFile, configs: AppConfigs): string[] {
  const where = 'compose service auth';
  if (!doc.services.auth) return [];
  const problems: string[] = [];
  const stated = environmentOf(raw.services.auth ?? {}).AUTH_JWT_PRIVATE_KEYS ?? '';
  if (!/\$\{AUTH_JWT_PRIVATE_KEYS[:}-]/.test(stated))
    problems.push(`${where}: AUTH_JWT_PRIVATE_KEYS must come from deploy/.env (\${AUTH_JWT_PRIVATE_KEYS:-})`);
  const env = composeEnvOf(doc, 'auth');
  if (isSet(env.AUTH_JWT_PRIVATE_KEYS)) return problems;
  const nodeEnv = effectiveValue(configs.auth, env, 'NODE_ENV');
  // In production the schema itself requires the keys (reported by checkAppEnv).
  if (nodeEnv.known && nodeEnv.value === 'production') return problems;
  const dir = env.AUTH_DEV_KEYS_DIR?.kind === 'literal' ? env.AUTH_DEV_KEYS_DIR.value : '';
  if (!dir) {
    return [
      ...problems,
      `${where}: without AUTH_JWT_PRIVATE_KEYS, AUTH_DEV_KEYS_DIR must keep the dev keys on a named volume (an in-memory key dies with the container)`,
    ];
  }
  const mount = namedMounts(doc, 'auth').find((m) => within(dir, m.target));
  if (!mount) {
    problems.push(
      `${where}: AUTH_DEV_KEYS_DIR ${dir} is not on a named volume (the root is read-only, /tmp is a tmpfs)`,
    );
  } else if (mount.target.replace(/\/$/, '') !== APP_STATE_DIR) {
    problems.push(
      `${where}: mount volume ${mount.source} at ${APP_STATE_DIR}, the image's folder owned by the runtime user (got ${mount.target}, where a new volume is root-owned)`,
    );
  }
  return problems;
}

// One deployment's environment of one app, held to the app's own config schema (read by config-schema.ts): the same
// rules for compose and for every rendered Kubernetes overlay.
import { type AppSpec } from '../apps';
import { type AppConfig, type FieldSchema, type Issue } from './config-schema';

/** EnvValue is what a deployment gives one variable: a value its files state, or one only the running system knows. */
export type EnvValue =
  | { readonly kind: 'literal'; readonly value: string }
  /** external: from a Secret (or another runtime source); `from` says which, for messages. */
  | { readonly kind: 'external'; readonly from: string };

/** DeploymentEnv is a container's environment as the deployment files define it. */
export type DeploymentEnv = Readonly<Record<string, EnvValue>>;

/** literalEnv turns plain name -> value pairs (compose) into a DeploymentEnv; undefined means unset. */
export const literalEnv = (env: Readonly<Record<string, string | undefined>>): DeploymentEnv =>
  Object.fromEntries(
    Object.entries(env)
      .filter((entry): entry is [string, string] => entry[1] !== undefined)
      .map(([name, value]) => [name, { kind: 'literal', value }]),
  );

/** isSet follows loadConfig: an empty variable is unset; a value from a Secret counts as set. */
export const isSet = (value: EnvValue | undefined): boolean =>
  value !== undefined && (value.kind === 'external' || value.value !== '');

const literalValue = (value: EnvValue | undefined): string | undefined =>
  value?.kind === 'literal' && value.value !== '' ? value.value : undefined;

/** AppEnvOptions: what else the deployment may set beside the schema's variables. */
export interface AppEnvOptions {
  /** helpers are variables only other variables use (Kubernetes `$(DB_PASSWORD)` inside DATABASE_URL). */
  readonly helpers?: readonly string[];
}

/**
 * checkAppEnv: every variable the app's schema requires is set, conditional requirements included (the schema's own
 * refinements run, e.g. AUTH_JWT_PRIVATE_KEYS when NODE_ENV=production); every value the files state is one the app
 * accepts; the app's extra required variables are set; nothing is set that the app does not read or use.
 */
export function checkAppEnv(
  where: string,
  app: AppSpec,
  config: AppConfig,
  env: DeploymentEnv,
  options: AppEnvOptions = {},
): string[] {
  const problems: string[] = [];
  const { schema, source } = config;
  for (const name of config.required)
    if (!isSet(env[name])) problems.push(`${where}: ${name} is required by ${source} but not set`);
  for (const name of app.requiredEnv) if (!isSet(env[name])) problems.push(`${where}: ${name} is not set`);

  // Values only the cluster knows (and required variables already reported) are made optional, so the object's
  // refinements still run on everything else; an issue on such a variable says nothing about the files.
  const input = Object.fromEntries(
    Object.keys(env).flatMap((name) => {
      const value = literalValue(env[name]);
      return value === undefined ? [] : [[name, value]];
    }),
  );
  const relaxed: Record<string, FieldSchema> = {};
  for (const name of config.required) if (!(name in input)) relaxed[name] = schema.shape[name].optional();
  const result = schema.safeExtend(relaxed).safeParse(input);
  for (const issue of result.error?.issues ?? []) problems.push(...describeIssue(where, config, env, issue));

  const helpers = new Set(options.helpers ?? []);
  for (const name of Object.keys(env)) {
    if (name in app.unusedEnv) {
      problems.push(`${where}: ${name} is set, but ${app.name} does not use it (${app.unusedEnv[name]})`);
    } else if (!(name in schema.shape) && !app.requiredEnv.includes(name) && !helpers.has(name)) {
      problems.push(`${where}: ${name} is set, but ${source} does not read it`);
    }
  }
  return [...new Set(problems)];
}

function describeIssue(where: string, config: AppConfig, env: DeploymentEnv, issue: Issue): string[] {
  const name = issue.path.length > 0 ? String(issue.path[0]) : '(config)';
  const value = env[name];
  if (value?.kind === 'external') return [];
  if (literalValue(value) !== undefined)
    return [`${where}: ${name} is invalid for ${config.source}: ${issue.message}`];
  if (config.required.includes(name)) return [];
  return [`${where}: ${name} is required by ${config.source} but not set (${issue.message})`];
}

/** Effective is the value an app will use for one variable, when the files alone determine it. */
export type Effective = { readonly known: true; readonly value: unknown } | { readonly known: false };

/** effectiveValue parses the stated value, or the schema's default when unset; unknown for Secrets and bad values. */
export function effectiveValue(config: AppConfig, env: DeploymentEnv, name: string): Effective {
  const field = config.schema.shape[name];
  if (!field) throw new Error(`${config.source} has no variable ${name}`);
  if (env[name]?.kind === 'external') return { known: false };
  const parsed = field.safeParse(literalValue(env[name]));
  return parsed.success ? { known: true, value: parsed.data } : { known: false };
}

/** TOKEN_SETTINGS pairs auth's claim settings with the gateway's checks of them. */
export const TOKEN_SETTINGS = [
  { auth: 'AUTH_JWT_ISSUER', gateway: 'JWT_ISSUER', claim: 'iss' },
  { auth: 'AUTH_JWT_AUDIENCE', gateway: 'JWT_AUDIENCE', claim: 'aud' },
] as const;

/** checkTokenAgreement: the gateway expects the issuer and audience auth puts into access tokens (defaults included). */
export function checkTokenAgreement(
  where: string,
  auth: { config: AppConfig; env: DeploymentEnv },
  gateway: { config: AppConfig; env: DeploymentEnv },
): string[] {
  const problems: string[] = [];
  for (const setting of TOKEN_SETTINGS) {
    const issued = effectiveValue(auth.config, auth.env, setting.auth);
    const expected = effectiveValue(gateway.config, gateway.env, setting.gateway);
    if (issued.known && expected.known && issued.value !== expected.value) {
      problems.push(
        `${where}: the gateway's ${setting.gateway}=${String(expected.value)} differs from auth's ${setting.auth}=${String(issued.value)} (every token would fail its ${setting.claim} check)`,
      );
    }
  }
  return problems;
}

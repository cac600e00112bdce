import { beforeAll, describe, expect, it } from 'vitest';
import { appNamed, apps, gateway, gatewayCallees, serviceAddrVar, services } from '../apps';
import {
  type AppConfig,
  type AppConfigs,
  configSourceOf,
  loadAppConfigs,
  requiredKeys,
} from './config-schema';
import {
  checkAppEnv,
  checkTokenAgreement,
  type DeploymentEnv,
  effectiveValue,
  type EnvValue,
  literalEnv,
} from './env-checks';

let configs: AppConfigs;

beforeAll(async () => {
  configs = await loadAppConfigs(apps.map((a) => a.name));
});

const secret = (from = 'Secret s key k'): EnvValue => ({ kind: 'external', from });
const data = {
  DATABASE_URL: 'postgres://visitor_svc:pw@postgres:5432/blog',
  KAFKA_BROKERS: 'kafka:29092',
  KAFKA_USERNAME: 'visitor',
  KAFKA_PASSWORD: 'pw',
  GRPC_HOST: '0.0.0.0',
};
const visitorEnv = (extra: Record<string, string | undefined> = {}): DeploymentEnv =>
  literalEnv({ ...data, GRPC_PORT: '7055', ADMIN_PORT: '9105', ...extra });
const check = (app: string, env: DeploymentEnv, config: AppConfig = configs[app]) =>
  checkAppEnv(`env of ${app}`, appNamed(app), config, env);

/** withRequired is the app's schema after it gained a required variable (what a new feature does to an app). */
function withRequired(config: AppConfig, name: string): AppConfig {
  const schema = config.schema.safeExtend({ [name]: config.schema.shape.DATABASE_URL });
  return { ...config, schema, required: requiredKeys(schema) };
}

describe("the apps' environment schemas, read from their sources", () => {
  it('come from config.ts where an app has one, else service.ts', () => {
    expect(configSourceOf('auth')).toBe('apps/auth/src/config.ts');
    expect(configSourceOf('api-gateway')).toBe('apps/api-gateway/src/config.ts');
    expect(configSourceOf('visitor')).toBe('apps/visitor/src/config.ts');
    expect(configs.auth.exportName).toBe('authConfig');
    expect(configs.visitor.exportName).toBe('visitorConfig');
  });

  it('require the database and Kafka of every service, and nothing without a default of the gateway', () => {
    for (const service of services)
      expect(configs[service.name].required).toEqual(
        expect.arrayContaining(['DATABASE_URL', 'KAFKA_BROKERS']),
      );
    expect(configs[gateway.name].required).toEqual([]);
    expect(Object.keys(configs.visitor.schema.shape)).toEqual(
      expect.arrayContaining(['VIEW_BATCH_MAX', 'VIEW_BATCH_DELAY_MS']),
    );
  });
});

describe('checkAppEnv', () => {
  it('accepts a complete environment, and a required value that only a Secret holds', () => {
    expect(check('visitor', visitorEnv({ VIEW_BATCH_MAX: '200' }))).toEqual([]);
    expect(check('visitor', { ...visitorEnv(), DATABASE_URL: secret() })).toEqual([]);
  });

  it('reports a required variable that is missing or empty, naming the schema', () => {
    expect(check('visitor', visitorEnv({ KAFKA_BROKERS: undefined }))).toEqual([
      'env of visitor: KAFKA_BROKERS is required by apps/visitor/src/config.ts but not set',
    ]);
    expect(check('visitor', visitorEnv({ DATABASE_URL: '' }))).toEqual([
      'env of visitor: DATABASE_URL is required by apps/visitor/src/config.ts but not set',
    ]);
  });

  it('reports a stated value the app refuses, and a variable the app does not read', () => {
    const problems = check('visitor', visitorEnv({ VIEW_BATCH_MAX: '0', VIEW_BATCH_SIZE: '10' }));
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(
      /^env of visitor: VIEW_BATCH_MAX is invalid for apps\/visitor\/src\/config\.ts: /,
    );
    expect(problems[1]).toBe(
      'env of visitor: VIEW_BATCH_SIZE is set, but apps/visitor/src/config.ts does not read it',
    );
  });

  it("runs the schema's conditional requirements: auth's keys in production, even with other values in Secrets", () => {
    const auth = { ...data, NODE_ENV: 'production' };
    const missing = check('auth', { ...literalEnv(auth), DATABASE_URL: secret() });
    expect(missing).toHaveLength(1);
    expect(missing[0]).toMatch(
      /^env of auth: AUTH_JWT_PRIVATE_KEYS is required by apps\/auth\/src\/config\.ts but not set \(is required in production/,
    );
    expect(check('auth', { ...literalEnv(auth), AUTH_JWT_PRIVATE_KEYS: secret() })).toEqual([]);
    expect(check('auth', literalEnv({ ...auth, NODE_ENV: 'development' }))).toEqual([]);
    expect(check('auth', literalEnv({ ...auth, AUTH_JWT_PRIVATE_KEYS: '[]' }))[0]).toMatch(
      /^env of auth: AUTH_JWT_PRIVATE_KEYS is invalid for apps\/auth\/src\/config\.ts: /,
    );
  });

  it('holds the gateway to its deployment needs: addresses, registry and salt set, no gRPC variables', () => {
    const env = literalEnv({
      REGISTRY: 'dns',
      ...Object.fromEntries(gatewayCallees.map((s) => [serviceAddrVar(s.name), `${s.name}:1`])),
      VIEWER_HASH_SALT: 'a-salt-of-sixteen-chars',
      GATEWAY_HOST: '0.0.0.0',
    });
    expect(check(gateway.name, env)).toEqual([]);
    expect(
      check(gateway.name, {
        ...env,
        VIEWER_HASH_SALT: secret(),
        GRPC_PORT: { kind: 'literal', value: '7050' },
      }),
    ).toEqual([
      'env of api-gateway: GRPC_PORT is set, but api-gateway does not use it (the gateway serves no gRPC)',
    ]);
    const { USER_SERVICE_ADDR: _user, ...withoutUser } = env;
    expect(check(gateway.name, withoutUser)).toEqual(['env of api-gateway: USER_SERVICE_ADDR is not set']);
    expect(check(gateway.name, { ...env, VIEWER_HASH_SALT: { kind: 'literal', value: 'short' } })[0]).toMatch(
      /VIEWER_HASH_SALT is invalid for apps\/api-gateway\/src\/config\.ts/,
    );
  });

  it('catches drift: a variable an app starts to require is missing from a deployment that was complete', () => {
    expect(check('visitor', visitorEnv(), withRequired(configs.visitor, 'VISITOR_NEW_SETTING'))).toEqual([
      'env of visitor: VISITOR_NEW_SETTING is required by apps/visitor/src/config.ts but not set',
    ]);
  });

  it('allows helper variables that only others reference', () => {
    const env = { ...visitorEnv(), DB_PASSWORD: secret() };
    expect(check('visitor', env)).toEqual([
      'env of visitor: DB_PASSWORD is set, but apps/visitor/src/config.ts does not read it',
    ]);
    expect(
      checkAppEnv('env', appNamed('visitor'), configs.visitor, env, { helpers: ['DB_PASSWORD'] }),
    ).toEqual([]);
  });
});

describe('effectiveValue and checkTokenAgreement', () => {
  it("give the app's own reading of a value: parsed, defaulted, or unknown behind a Secret", () => {
    const config = configs[gateway.name];
    expect(effectiveValue(config, literalEnv({ TRUST_PROXY: 'true' }), 'TRUST_PROXY')).toEqual({
      known: true,
      value: true,
    });
    expect(effectiveValue(config, {}, 'TRUST_PROXY')).toEqual({ known: true, value: false });
    expect(effectiveValue(config, { TRUST_PROXY: secret() }, 'TRUST_PROXY')).toEqual({ known: false });
  });

  it("require the gateway's issuer and audience to be auth's, defaults included", () => {
    const auth = { config: configs.auth, env: literalEnv({}) };
    const gw = (env: Record<string, string>) => ({ config: configs[gateway.name], env: literalEnv(env) });
    expect(checkTokenAgreement('here', auth, gw({}))).toEqual([]);
    expect(
      checkTokenAgreement('here', auth, gw({ JWT_ISSUER: 'blog-auth', JWT_AUDIENCE: 'blog-api' })),
    ).toEqual([]);
    expect(checkTokenAgreement('here', auth, gw({ JWT_AUDIENCE: 'other' }))).toEqual([
      "here: the gateway's JWT_AUDIENCE=other differs from auth's AUTH_JWT_AUDIENCE=blog-api (every token would fail its aud check)",
    ]);
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadAppConfigs } from '../app-env/config-schema';
import { apps } from '../apps';
import { parseBootstrapSql, readBootstrapSql } from '../bootstrap-sql';
import { readConnector } from '../connector';
import { deployPaths } from '../paths';
import { eventTopicNames } from '../render/render';
import { clone, readYaml } from '../yaml';
import { checkCompose, type ComposeContext, type ComposeFile } from './compose-checks';
import { validateComposeSchema } from './compose-schema';
import { parseEnvFile } from './interpolate';
import { checkObservability, type ObservabilityFiles } from './observability-checks';

let compose: ComposeFile;
let ctx: ComposeContext;
let observability: ObservabilityFiles;

beforeAll(async () => {
  compose = readYaml(deployPaths.compose) as ComposeFile;
  ctx = {
    envExample: parseEnvFile(readFileSync(deployPaths.envExample, 'utf8')),
    connector: readConnector(),
    bootstrap: parseBootstrapSql(readBootstrapSql()),
    topics: eventTopicNames(),
    configs: await loadAppConfigs(apps.map((a) => a.name)),
  };
  observability = {
    prometheus: readYaml(deployPaths.prometheus) as ObservabilityFiles['prometheus'],
    datasources: readYaml(deployPaths.grafanaDatasources) as ObservabilityFiles['datasources'],
    dashboards: Object.fromEntries(
      readdirSync(deployPaths.grafanaDashboards).map((f) => [
        f,
        JSON.parse(readFileSync(join(deployPaths.grafanaDashboards, f), 'utf8')),
      ]),
    ),
  };
});

/** broken returns the problems of a copy of the compose file after `mutate`. */
function broken(mutate: (doc: ComposeFile) => void, context: Partial<ComposeContext> = {}): string[] {
  const doc = clone(compose);
  mutate(doc);
  return checkCompose(doc, { ...ctx, ...context });
}

describe('deploy/docker-compose.yml', () => {
  it('is valid against the compose-spec schema and every project rule', () => {
    expect(checkCompose(compose, ctx)).toEqual([]);
  });

  it('has a complete observability profile', () => {
    expect(checkObservability(compose, observability)).toEqual([]);
  });

  describe('rejects a broken file', () => {
    it('schema: a misspelt service key and a wrong type', () => {
      expect(validateComposeSchema({ services: { a: { image: 'x', healtcheck: {} } } })).toEqual([
        'compose schema: /services/a must NOT have additional properties (healtcheck)',
      ]);
      expect(validateComposeSchema({ services: { a: { image: 'x', ports: 8080 } } }).length).toBeGreaterThan(
        0,
      );
    });

    it('an image that must be pulled, a build off the host network, a forced pull', () => {
      expect(
        broken((d) => {
          delete d.services.postgres.build;
          d.services.postgres.image = 'postgres:17.5-alpine';
        }),
      ).toContain('compose service postgres: its image must be built from this repository (a build section)');
      expect(broken((d) => delete d.services.auth.build?.network)).toContain(
        'compose service auth: must build with network: host (a daemon without NAT rules)',
      );
      expect(broken((d) => (d.services.blog.pull_policy = 'always'))).toContain(
        'compose service blog: must not force a pull',
      );
    });

    it('an app missing', () => {
      expect(broken((d) => delete d.services.visitor)).toContain('compose service visitor: missing');
    });

    it('a required variable missing or a port off the convention', () => {
      expect(
        broken((d) => delete (d.services.post.environment as Record<string, string>).DATABASE_URL),
      ).toContain('compose service post: DATABASE_URL is required by apps/post/src/config.ts but not set');
      expect(
        broken((d) => ((d.services.user.environment as Record<string, string>).GRPC_PORT = '50099')),
      ).toContain('compose service user: GRPC_PORT must be 7052, got 50099');
      expect(
        broken(
          (d) =>
            ((d.services['api-gateway'].environment as Record<string, string>).BLOG_SERVICE_ADDR = 'blog:1'),
        ),
      ).toContain('compose service api-gateway: BLOG_SERVICE_ADDR must be blog:7053, got blog:1');
    });

    it("an app's variables against its own config schema", () => {
      const env = (d: ComposeFile, name: string) => d.services[name].environment as Record<string, string>;
      const problems = broken((d) => {
        env(d, 'visitor').VIEW_BATCH_MAX = '0';
        env(d, 'user').USER_CACHE_SIZE = '10';
        env(d, 'api-gateway').GRPC_PORT = '7050';
        delete env(d, 'api-gateway').VIEWER_HASH_SALT;
      });
      expect(
        problems.some((p) =>
          p.startsWith('compose service visitor: VIEW_BATCH_MAX is invalid for apps/visitor/src/config.ts'),
        ),
      ).toBe(true);
      expect(problems).toContain(
        'compose service user: USER_CACHE_SIZE is set, but apps/user/src/config.ts does not read it',
      );
      expect(problems).toContain(
        'compose service api-gateway: GRPC_PORT is set, but api-gateway does not use it (the gateway serves no gRPC)',
      );
      expect(problems).toContain('compose service api-gateway: VIEWER_HASH_SALT is not set');
    });

    it('a variable an app starts to require (drift between the code and the file)', () => {
      const post = ctx.configs.post;
      const schema = post.schema.safeExtend({ POST_NEW_SETTING: post.schema.shape.KAFKA_BROKERS });
      const configs = {
        ...ctx.configs,
        post: { ...post, schema, required: [...post.required, 'POST_NEW_SETTING'] },
      };
      expect(broken(() => undefined, { configs })).toEqual([
        'compose service post: POST_NEW_SETTING is required by apps/post/src/config.ts but not set',
      ]);
    });

    it("auth's signing keys: production without keys, keys not from .env, dev keys off a named volume", () => {
      const auth = (d: ComposeFile) => d.services.auth.environment as Record<string, string>;
      const production = broken((d) => (auth(d).NODE_ENV = 'production'));
      expect(
        production.filter((p) =>
          /^compose service auth: AUTH_JWT_PRIVATE_KEYS is required by apps\/auth\/src\/config\.ts but not set \(is required in production/.test(
            p,
          ),
        ),
      ).toHaveLength(1);
      expect(broken((d) => (auth(d).AUTH_JWT_PRIVATE_KEYS = ''))).toContain(
        'compose service auth: AUTH_JWT_PRIVATE_KEYS must come from deploy/.env (${AUTH_JWT_PRIVATE_KEYS:-})',
      );
      expect(broken((d) => (auth(d).AUTH_DEV_KEYS_DIR = '/tmp/auth-keys'))).toEqual([
        'compose service auth: AUTH_DEV_KEYS_DIR /tmp/auth-keys is not on a named volume (the root is read-only, /tmp is a tmpfs)',
      ]);
      expect(
        broken((d) => {
          d.services.auth.volumes = ['auth-keys:/keys'];
          auth(d).AUTH_DEV_KEYS_DIR = '/keys';
        }),
      ).toEqual([
        "compose service auth: mount volume auth-keys at /var/lib/blog, the image's folder owned by the runtime user (got /keys, where a new volume is root-owned)",
      ]);
      expect(broken((d) => delete auth(d).AUTH_DEV_KEYS_DIR)).toEqual([
        'compose service auth: without AUTH_JWT_PRIVATE_KEYS, AUTH_DEV_KEYS_DIR must keep the dev keys on a named volume (an in-memory key dies with the container)',
      ]);
    });

    it("a gateway that expects another token issuer than auth's", () => {
      expect(
        broken(
          (d) => ((d.services['api-gateway'].environment as Record<string, string>).JWT_ISSUER = 'someone'),
        ),
      ).toEqual([
        "compose: the gateway's JWT_ISSUER=someone differs from auth's AUTH_JWT_ISSUER=blog-auth (every token would fail its iss check)",
      ]);
    });

    it('a database URL with another service role', () => {
      expect(
        broken(
          (d) =>
            ((d.services.blog.environment as Record<string, string>).DATABASE_URL =
              'postgres://auth_svc:x@postgres:5432/blog'),
        ),
      ).toContain(
        'compose service blog: DATABASE_URL must be postgres://blog_svc:...@postgres:5432/blog, got postgres://auth_svc:x@postgres:5432/blog',
      );
    });

    it('a missing healthcheck and a dependency without a condition', () => {
      expect(broken((d) => delete d.services.kafka.healthcheck)).toContain(
        'compose service kafka: no healthcheck',
      );
      expect(broken((d) => (d.services['api-gateway'].depends_on = ['auth']))).toContain(
        'compose service api-gateway: depends_on auth must use condition service_healthy, got service_started',
      );
      expect(
        broken(
          (d) =>
            ((d.services.auth.depends_on as Record<string, { condition: string }>)[
              'connect-register'
            ].condition = 'service_healthy'),
        ),
      ).toContain(
        'compose service auth: depends_on connect-register must use condition service_completed_successfully, got service_healthy',
      );
    });

    it('a dependency cycle', () => {
      const problems = broken(
        (d) => (d.services.postgres.depends_on = { 'api-gateway': { condition: 'service_healthy' } }),
      );
      expect(problems.some((p) => p.startsWith('compose: depends_on cycle'))).toBe(true);
    });

    it('topics that drift from libs/proto', () => {
      const problems = broken(() => undefined, { topics: [...eventTopicNames(), 'events.new.thing'] });
      expect(problems.some((p) => p.startsWith('compose service kafka-topics: TOPICS must be exactly'))).toBe(
        true,
      );
    });

    it('a Connect worker whose liveness ignores the connector watchdog', () => {
      expect(broken((doc) => delete doc.services['connect-watchdog'])).toEqual([
        'compose: connect-watchdog is required (the connector liveness, see deploy/connector/README.md)',
      ]);
      expect(
        broken((doc) => {
          const connect = doc.services['connect'] ?? {};
          connect.healthcheck = { test: ['CMD-SHELL', 'curl -fsS http://127.0.0.1:8083/health'] };
          delete connect.restart;
          delete environmentOfDoc(doc, 'connect-watchdog')['DEBEZIUM_PG_PASSWORD'];
        }),
      ).toEqual([
        'compose service connect-watchdog: DEBEZIUM_PG_PASSWORD is not set',
        'compose service connect: the healthcheck must stop the worker when connect-watchdog /live answers 503',
        'compose service connect: needs restart: unless-stopped, so a worker stopped by its healthcheck comes back',
      ]);
    });

    it('a connector placeholder the Connect container does not set', () => {
      const connector = {
        ...ctx.connector,
        config: { ...ctx.connector.config, 'database.sslmode': '${env:DEBEZIUM_PG_SSLMODE}' },
      };
      expect(broken(() => undefined, { connector })).toContain(
        'compose service connect: DEBEZIUM_PG_SSLMODE (used as ${env:DEBEZIUM_PG_SSLMODE} by the connector) is not set',
      );
    });

    it('a connector that disagrees with the bootstrap SQL', () => {
      const connector = {
        ...ctx.connector,
        config: { ...ctx.connector.config, 'publication.name': 'other' },
      };
      expect(
        broken(() => undefined, { connector }).some((p) =>
          p.startsWith('connector publication.name other differs'),
        ),
      ).toBe(true);
      const bootstrap = { ...ctx.bootstrap, heartbeatColumns: ['id', 'ts'] };
      expect(
        broken(() => undefined, { bootstrap }).some((p) => /heartbeat writes column beat_at/.test(p)),
      ).toBe(true);
    });

    it('PostgreSQL without logical WAL', () => {
      expect(broken((d) => (d.services.postgres.command = ['postgres']))).toContain(
        'compose service postgres: must run with wal_level=logical',
      );
    });

    it('a .env.example out of step with the defaults', () => {
      const envExample = { ...ctx.envExample, AUTH_DB_PASSWORD: 'something-else', STRAY: '1' };
      const problems = broken(() => undefined, { envExample });
      expect(problems).toContain(
        '.env.example: AUTH_DB_PASSWORD=something-else but docker-compose.yml defaults it to "dev-only-auth"',
      );
      expect(problems).toContain('.env.example: STRAY is not used by docker-compose.yml');
    });

    it('an app Prometheus does not scrape, a dashboard on an unknown datasource', () => {
      const files = clone(observability);
      files.prometheus.scrape_configs = files.prometheus.scrape_configs?.filter(
        (c) => c.job_name !== 'visitor',
      );
      files.datasources.datasources = files.datasources.datasources?.filter((d) => d.uid !== 'prometheus');
      const problems = checkObservability(compose, files);
      expect(problems).toContain('prometheus.yml: does not scrape visitor:9105 (its /metrics)');
      expect(problems.some((p) => /datasource uid prometheus is not provisioned/.test(p))).toBe(true);
    });
  });
});

/** environmentOfDoc returns a service's environment map for mutation (the file writes environments as maps). */
function environmentOfDoc(doc: ComposeFile, service: string): Record<string, unknown> {
  return (doc.services[service]?.environment ?? {}) as Record<string, unknown>;
}
